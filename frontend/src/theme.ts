import { Alert, createTheme, Drawer, Modal, type CSSVariablesResolver } from "@mantine/core";

// WCAG AA for normal text. Mantine's light palettes (teal.6 on white: 2.55:1, the grey of dimmed
// text: 3.3:1) fall short, so text and filled colours use a darker shade of the same hue, picked
// here so that it reads on white, on its own light tint and on the light grey of table rows.
const MIN_CONTRAST = 4.6;
const SHADE = 6; // the shade Mantine uses for tints and borders (primaryShade), kept for the look

type Rgb = [number, number, number];
const toRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (c: Rgb) => "#" + c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
const luminance = (c: Rgb) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
function lin(v: number) {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
// A colour laid over white with this opacity (Mantine's "light" variant background is 10-12%).
const tint = (c: Rgb, alpha: number): Rgb => c.map((v) => v * alpha + 255 * (1 - alpha)) as Rgb;

/** The lightest shade of the palette (darkened further if need be) that white text and the
 * palette's own tints can be read against. */
export function readableShade(palette: readonly string[]): string {
  const grounds: Rgb[] = [[255, 255, 255], tint(toRgb(palette[SHADE]), 0.12), toRgb("#f1f3f5")];
  const ok = (c: Rgb) => grounds.every((g) => contrast(c, g) >= MIN_CONTRAST);
  for (let s = SHADE; s <= 9; s++) if (ok(toRgb(palette[s]))) return palette[s];
  let c = toRgb(palette[9]);
  while (!ok(c)) c = c.map((v) => v * 0.94) as Rgb; // towards black, same hue
  return toHex(c);
}

const DIMMED = "#626a71"; // grey text: 5.4:1 on white, 4.8:1 on gray.1 (Mantine's gray.6 is 3.3:1)

const resolver: CSSVariablesResolver = (theme) => {
  const light: Record<string, string> = {
    "--mantine-color-dimmed": DIMMED,
    "--mantine-color-anchor": readableShade(theme.colors[theme.primaryColor]),
  };
  for (const [name, palette] of Object.entries(theme.colors)) {
    if (name === "dark") continue;
    const text = readableShade(palette);
    const hover = readableShade(palette.map((_, i) => palette[Math.min(i + 1, 9)]));
    Object.assign(light, {
      [`--mantine-color-${name}-text`]: text,
      [`--mantine-color-${name}-filled`]: text,
      [`--mantine-color-${name}-filled-hover`]: hover,
      [`--mantine-color-${name}-light-color`]: text,
      [`--mantine-color-${name}-outline`]: text,
    });
  }
  return { variables: {}, light, dark: {} };
};

export const cssVariablesResolver = resolver;

export const theme = createTheme({
  primaryColor: "teal",
  primaryShade: { light: SHADE, dark: 8 },
  fontFamily: "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  defaultRadius: "md",
  headings: { fontWeight: "650" },
  components: {
    // Icon-only close buttons get a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close" } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close" } } }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: "Dismiss" } }),
  },
});
