// Must NOT type-check: run.sh asserts that tsc fails and names both mistakes.
import { render } from "article-render";

const rendered = render("# Hello", { fomat: "html" });
console.log(rendered.meta.tittle);
