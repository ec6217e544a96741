// The floor (bench/floor/floor.rs): article-render's own dependencies alone,
// front matter + pulldown-cmark + ammonia's default policy, in wasm. What
// the library would cost if everything it adds to them were free.
import init, { render } from "../../target/floor-pkg/article_render_floor.js";

export const name = "floor: saphyr + pulldown-cmark + ammonia alone (wasm)";
export const prepare = () => init();
export const run = (source, hint) => render(source, hint !== "html");
export const htmlOf = (result) => result;
