// ESLint rule: a package is imported through an entry point it declares, never a path into it.
//
// A bare specifier with a subpath (`pkg/sub`, `@scope/pkg/sub`) is accepted only when the package's
// package.json "exports" declares that subpath (exactly, or through a `*` pattern), or when it is
// listed in DOCUMENTED_SUBPATHS (a documented entry of a package that has no "exports" map). Paths
// into a package's build output or internals (`@nestjs/common/constants`, `class-validator/types/…`,
// `pkg/dist/…`) change between patch releases without notice.
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

/** Entry points documented by packages that publish no "exports" map. */
const DOCUMENTED_SUBPATHS = new Set(['@nestjs/swagger/plugin']);

const manifests = new Map();

function exportsOf(root, name) {
  if (!manifests.has(name)) {
    let exportsField;
    try {
      exportsField = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).exports;
    } catch {
      exportsField = undefined;
    }
    manifests.set(name, exportsField);
  }
  return manifests.get(name);
}

function declares(exportsField, subpath) {
  if (exportsField === null || typeof exportsField !== 'object') return false;
  return Object.keys(exportsField).some((key) => {
    if (key === subpath) return true;
    const star = key.indexOf('*');
    // A catch-all (`./*`, `./*.js`) maps every file of the package, internals included (the
    // @nestjs/* 12 packages publish one): it declares no entry point, so it admits no subpath.
    if (star === 2 && key.startsWith('./')) return false;
    return star >= 0 && subpath.startsWith(key.slice(0, star)) && subpath.endsWith(key.slice(star + 1));
  });
}

/** `{ name, subpath }` of a bare specifier with a subpath, else undefined. */
export function splitSpecifier(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  if (parts.length <= size) return undefined;
  return { name: parts.slice(0, size).join('/'), subpath: `./${parts.slice(size).join('/')}` };
}

export const packageEntryPoints = {
  meta: {
    type: 'problem',
    docs: { description: "Import packages through the entry points their package.json declares" },
    messages: {
      internal: "'{{specifier}}' is not an entry point {{name}} declares: import its documented entry point instead.",
    },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const split = splitSpecifier(specifier);
      if (split === undefined || DOCUMENTED_SUBPATHS.has(specifier)) return;
      if (declares(exportsOf(root, split.name), split.subpath)) return;
      context.report({ node, messageId: 'internal', data: { specifier, name: split.name } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') check(arg, arg.value);
      },
      TSImportEqualsDeclaration: (node) => {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference' && ref.expression.type === 'Literal') check(ref.expression, ref.expression.value);
      },
    };
  },
};
