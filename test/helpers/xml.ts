// A strict little XML reader for tests of the JUnit report: elements, attributes and text, and an
// error for what a real parser would refuse (a tag left open or closed out of order, a bare '<' or
// '&', an attribute without quotes, control characters XML 1.0 cannot carry).
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(raw)) throw new Error(`control character in ${where}`);
  if (/[<]/.test(raw)) throw new Error(`bare '<' in ${where}`);
  return raw.replace(/&([a-z]+);|&/g, (_whole, name: string | undefined) => {
    const value = name ? ENTITIES[name] : undefined;
    if (value === undefined) throw new Error(`bare '&' or unknown entity in ${where}`);
    return value;
  });
}

export function parseXml(text: string): XmlElement {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const open: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"]*")*)\s*(\/?)>/g;
  let at = 0;
  for (let found = tag.exec(body); found !== null; found = tag.exec(body)) {
    const current = open[open.length - 1] as XmlElement;
    current.text += decode(body.slice(at, found.index), `text before <${found[2]}>`);
    at = found.index + found[0].length;
    const [, closing, name = "", attributeText = "", selfClosing] = found;
    if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      open.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of attributeText.matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) {
      const [, key = "", value = ""] = attribute;
      if (key in attributes) throw new Error(`attribute ${key} twice on <${name}>`);
      attributes[key] = decode(value, `attribute ${key} of <${name}>`);
    }
    const element: XmlElement = { name, attributes, children: [], text: "" };
    current.children.push(element);
    if (!selfClosing) open.push(element);
  }
  if (body.slice(at).trim() !== "") throw new Error("text after the root element, or a malformed tag");
  if (open.length !== 1) throw new Error(`<${open[open.length - 1]?.name}> is never closed`);
  if (root.children.length !== 1) throw new Error("not exactly one root element");
  return root.children[0] as XmlElement;
}
