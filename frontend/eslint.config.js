// ESLint (flat config): typescript-eslint's recommended rules and the rules of hooks.
// Formatting is Prettier's job; rules that are only a matter of taste are off here, not silenced per line.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/client/schema.d.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Resetting local state when an id changes (a new job, another sample) is the idiom here; this
      // React-Compiler-oriented rule would force remounting by key instead, a matter of style for us.
      "react-hooks/set-state-in-effect": "off",
    },
  },
);
