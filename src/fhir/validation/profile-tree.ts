import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

/**
 * A StructureDefinition's differential as a tree of element ids (profiling.html#slicing):
 * `Patient.extension:isHead.value[x]` is the child `value[x]` of the slice `isHead` of the
 * element `extension` of the root. Elements the differential leaves out are implied, empty.
 */
export interface ElementNode {
  id: string;
  /** Element name as in the id: `family`, `extension`, `value[x]`. */
  name: string;
  sliceName?: string;
  element: ElementDefinition;
  children: ElementNode[];
}

const trees = new WeakMap<StructureDefinition, ElementNode>();

export function elementTree(definition: StructureDefinition): ElementNode {
  let tree = trees.get(definition);
  if (!tree) {
    tree = buildTree(definition);
    trees.set(definition, tree);
  }
  return tree;
}

function buildTree(definition: StructureDefinition): ElementNode {
  const rootName = definition.type;
  const root: ElementNode = { id: rootName, name: rootName, element: { path: rootName }, children: [] };
  for (const element of definition.differential?.element ?? []) {
    const id = element.id ?? element.path;
    const [first, ...segments] = id.split('.');
    if (first !== rootName) {
      throw new Error(`${definition.url}: element ${id} is not under ${rootName}`);
    }
    let node = root;
    for (const segment of segments) {
      const childId = `${node.id}.${segment}`;
      let child = node.children.find((c) => c.id === childId);
      if (!child) {
        const [name, sliceName] = segment.split(':') as [string, string | undefined];
        child = {
          id: childId,
          name,
          ...(sliceName ? { sliceName } : {}),
          element: { id: childId, path: `${node.element.path}.${name}` },
          children: [],
        };
        node.children.push(child);
      }
      node = child;
    }
    node.element = element;
  }
  return root;
}
