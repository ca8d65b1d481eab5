import { render } from "preact";
render(<p>民主测评 · loading</p>, document.getElementById("app")!);
