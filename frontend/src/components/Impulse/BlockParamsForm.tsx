import { Checkbox, NumberInput, Select, SimpleGrid, TextInput, Textarea } from "@mantine/core";
import type { BlockParam } from "../../client/domain";

/** A form built from a block's parameter schema (GET /api/blocks): one labelled control per parameter. */
export function BlockParamsForm({
  params,
  values,
  onChange,
  disabled,
}: {
  params: BlockParam[];
  values: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  disabled?: boolean;
}) {
  const set = (name: string, v: unknown) => onChange({ ...values, [name]: v });
  const valueOf = (name: string) => values[name] ?? params.find((p) => p.name === name)?.default;
  const shown = params.filter((p) => !p.showIf || valueOf(p.showIf.param) === p.showIf.value);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {shown.map((p) => {
        const value = values[p.name] ?? p.default;
        const common = { key: p.name, label: p.label, description: p.help, disabled };
        switch (p.type) {
          case "int":
          case "float":
            return (
              <NumberInput
                {...common}
                value={value as number}
                min={p.min}
                max={p.max}
                allowDecimal={p.type === "float"}
                onChange={(v) => set(p.name, typeof v === "number" ? v : Number(v))}
              />
            );
          case "bool":
            return (
              <Checkbox {...common} mt="lg" checked={!!value} onChange={(e) => set(p.name, e.currentTarget.checked)} />
            );
          case "select":
            return (
              <Select
                {...common}
                data={p.options ?? []}
                value={String(value)}
                allowDeselect={false}
                onChange={(v) => set(p.name, v)}
              />
            );
          case "float_list":
            return (
              <TextInput
                {...common}
                value={Array.isArray(value) ? value.join(", ") : String(value ?? "")}
                onChange={(e) =>
                  set(
                    p.name,
                    e.currentTarget.value
                      .split(",")
                      .map((x) => x.trim())
                      .filter(Boolean)
                      .map(Number),
                  )
                }
              />
            );
          case "json":
            return (
              <Textarea
                {...common}
                autosize
                minRows={2}
                defaultValue={JSON.stringify(value)}
                onBlur={(e) => {
                  try {
                    set(p.name, JSON.parse(e.currentTarget.value));
                  } catch {
                    /* the server names the field */
                  }
                }}
              />
            );
          default:
            return (
              <TextInput {...common} value={String(value ?? "")} onChange={(e) => set(p.name, e.currentTarget.value)} />
            );
        }
      })}
    </SimpleGrid>
  );
}
