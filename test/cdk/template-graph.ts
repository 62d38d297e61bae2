/** Small helpers over synthesized CloudFormation templates for the CDK tests. */

export type Template = {
  Resources: Record<string, { Type: string; Properties?: any; DependsOn?: string | string[]; DeletionPolicy?: string }>;
  Outputs?: any;
};

/** Logical ids a value refers to through Ref / Fn::GetAtt / Fn::Sub. */
export function references(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) references(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z.]+)?\}/g)) into.add(match[1]);
        if (Array.isArray(inner)) references(inner[1], into);
      } else references(inner, into);
    }
  }
  return into;
}

/** A dependency cycle among the template's resources, or undefined (CloudFormation rejects cycles at deploy). */
export function findCycle(template: Template): string[] | undefined {
  const ids = new Set(Object.keys(template.Resources));
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const deps = references(resource.Properties);
    for (const d of [resource.DependsOn ?? []].flat()) deps.add(d);
    edges.set(id, [...deps].filter((d) => ids.has(d)));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** Every IAM statement attached to a role (its inline policies and the AWS::IAM::Policy resources naming it). */
export function statementsOfRole(template: Template, roleId: string): any[] {
  const statements: any[] = [];
  const role = template.Resources[roleId];
  for (const policy of role?.Properties?.Policies ?? []) statements.push(...policy.PolicyDocument.Statement);
  for (const [, resource] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    if ((resource.Properties.Roles ?? []).some((r: any) => r.Ref === roleId)) statements.push(...resource.Properties.PolicyDocument.Statement);
  }
  return statements;
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
