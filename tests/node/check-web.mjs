// Holds the web app against the server's schema (run by .ci/run, after ESLint):
//   node tests/node/check-web.mjs
// 1. Every operation in web/js/api/operations.js parses and validates against
//    schema/schema.graphql (field names, arguments, variable types, fragments), with graphql-js,
//    the reference implementation. A renamed field fails CI here, not on a user's page.
// 2. Every value of every enum in the SDL has a Vietnamese and an English label in
//    web/js/labels.js, so no raw name (PRESS_RELEASE, DEPARTMENT) reaches the screen.
// 3. No source file under web/ (outside vendor/) builds markup from strings (innerHTML) or sets
//    inline styles or handlers, which the CSP would refuse.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, parse, validate, isEnumType } from "graphql";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schema = buildSchema(readFileSync(join(root, "schema", "schema.graphql"), "utf8"));
/** Imports a module of plain data (no imports of its own) from a path outside this package. */
const load = (path) => import(`data:text/javascript;base64,${Buffer.from(readFileSync(join(root, path), "utf8")).toString("base64")}`);

const problems = [];
const operations = await load("web/js/api/operations.js");
let count = 0;
for (const [name, text] of Object.entries(operations)) {
  if (typeof text !== "string") continue;
  count += 1;
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    problems.push(`${name}: ${e.message}`);
    continue;
  }
  for (const err of validate(schema, doc)) problems.push(`${name}: ${err.message}`);
}

const { ENUMS } = await load("web/js/labels.js");
for (const type of Object.values(schema.getTypeMap())) {
  if (!isEnumType(type) || type.name.startsWith("__")) continue;
  for (const v of type.getValues()) {
    const pair = ENUMS[type.name] && ENUMS[type.name][v.name];
    if (!pair || pair.length !== 2 || !pair[0] || !pair[1]) problems.push(`labels.js: ${type.name}.${v.name} has no vi/en label`);
  }
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "vendor") continue;
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(js|html)$/.test(name)) yield p;
  }
}
for (const file of files(join(root, "web"))) {
  const text = readFileSync(file, "utf8");
  const rel = file.slice(root.length + 1);
  if (/\.innerHTML\s*=|insertAdjacentHTML|document\.write/.test(text)) problems.push(`${rel}: builds markup from a string`);
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(text) && file.endsWith(".html")) problems.push(`${rel}: inline script`);
  if (/\sstyle="|\son[a-z]+="/i.test(text)) problems.push(`${rel}: inline style or handler attribute`);
}

// 4. Every message key the app names literally (t("key")) has a Vietnamese and an English text,
//    so no key, and no English, shows in the Vietnamese interface.
const { MESSAGES } = await import(join(root, "web/js/i18n.js")).catch(() => ({ MESSAGES: null }));
const dictionaries = MESSAGES || (await loadMessages());
for (const file of files(join(root, "web", "js"))) {
  const text = readFileSync(file, "utf8");
  const rel = file.slice(root.length + 1);
  for (const m of text.matchAll(/\bt\("([a-z0-9_]+)"/g)) {
    for (const l of ["vi", "en"]) {
      if (!dictionaries[l][m[1]]) problems.push(`${rel}: message "${m[1]}" has no ${l} text`);
    }
  }
}

// 5. The two dictionaries hold the same keys: nothing shows only in one language.
for (const [a, b] of [["vi", "en"], ["en", "vi"]]) {
  for (const key of Object.keys(dictionaries[a])) {
    if (!(key in dictionaries[b])) problems.push(`i18n.js: "${key}" is in ${a} but not in ${b}`);
  }
}

/** The dictionaries of web/js/i18n.js, read without running its imports (it imports the
 * browser-only signals module). */
async function loadMessages() {
  const src = readFileSync(join(root, "web/js/i18n.js"), "utf8");
  const pick = (name) => {
    const start = src.indexOf(`const ${name} = {`);
    const end = src.indexOf("\n};\n", start);
    return src.slice(start + `const ${name} = `.length, end + 2);
  };
  const mod = `export const vi = ${pick("vi")};\nexport const en = ${pick("en")};`;
  return import(`data:text/javascript;base64,${Buffer.from(mod).toString("base64")}`);
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`web app: ${count} operations valid against the SDL; every enum value labelled; no inline markup`);
