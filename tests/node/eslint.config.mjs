// ESLint for the web app's own JavaScript (web/js, web/graphiql; the vendored libraries are
// left as their authors ship them). Run from the repository root, as .ci/run does:
//   tests/node/node_modules/.bin/eslint -c tests/node/eslint.config.mjs web
// (with -c, paths are relative to the working directory).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["web/vendor/**"] },
  js.configs.recommended,
  {
    files: ["web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-implicit-globals": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["web/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
  },
];
