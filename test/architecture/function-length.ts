/**
 * How long the functions a module exports are, read with the TypeScript compiler's parser (as
 * import-graph.ts reads imports with its scanner): for every exported declaration, the outermost
 * function in it (`export const x = staffRoute(…, async () => {…})`, `export async function x`,
 * `export const x = async () => …`), measured in lines from its first to its last line.
 */
import ts from 'typescript';

export interface FunctionLength {
  name: string;
  lines: number;
}

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

/** The outermost functions under `node` (a function's own inner functions are part of its length). */
function outermostFunctions(node: ts.Node): ts.FunctionLikeDeclaration[] {
  if (isFunction(node)) return [node];
  const found: ts.FunctionLikeDeclaration[] = [];
  node.forEachChild((child) => void found.push(...outermostFunctions(child)));
  return found;
}

export function exportedFunctionLengths(fileName: string, text: string): FunctionLength[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  const lengths: FunctionLength[] = [];
  for (const statement of file.statements.filter(isExported)) {
    const declarations = ts.isVariableStatement(statement) ? statement.declarationList.declarations : [statement];
    for (const declaration of declarations) {
      const name = (declaration as { name?: ts.Node }).name?.getText(file) ?? '(default)';
      for (const fn of outermostFunctions(declaration)) {
        lengths.push({ name, lines: lineOf(fn.getEnd()) - lineOf(fn.getStart(file)) + 1 });
      }
    }
  }
  return lengths;
}
