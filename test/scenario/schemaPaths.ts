// Leaf field paths of the JSON Schema, as the docs write them: `network.links[].from`.
type Node = Record<string, unknown>;

function isObjectNode(node: Node): boolean {
  return typeof node.properties === 'object' && node.properties !== null;
}

export function leafPaths(node: Node, path = '', out = new Set<string>()): Set<string> {
  const variants = [...((node.anyOf ?? []) as Node[]), ...((node.oneOf ?? []) as Node[])];
  const structured = variants.filter((v) => isObjectNode(v) || (v.type === 'array' && isObjectNode((v.items ?? {}) as Node)));
  if (structured.length > 0) {
    for (const variant of structured) leafPaths(variant, path, out);
    return out;
  }
  if (isObjectNode(node)) {
    for (const [key, child] of Object.entries(node.properties as Record<string, Node>)) {
      leafPaths(child, path === '' ? key : `${path}.${key}`, out);
    }
    return out;
  }
  const items = (node.items ?? {}) as Node;
  if (node.type === 'array' && (isObjectNode(items) || (items.oneOf ?? items.anyOf) !== undefined)) {
    return leafPaths(items, `${path}[]`, out);
  }
  out.add(path);
  return out;
}
