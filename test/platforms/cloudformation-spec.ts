import { requireTool } from "./support.ts";

/**
 * Validates a CloudFormation / SAM template against the CloudFormation resource specification
 * (@aws-cdk/cfnspec, which includes every AWS::Serverless::* type): resource types, property
 * names, required properties, value types down through nested property types, and that every
 * Ref / GetAtt / Sub names something the template declares. Returns the problems found.
 */

/** One property as the specification describes it (SAM properties may allow several types). */
interface PropertySpec {
  Required?: boolean;
  PrimitiveType?: string;
  PrimitiveTypes?: string[];
  Type?: string;
  Types?: string[];
  ItemType?: string;
  PrimitiveItemType?: string;
  PrimitiveItemTypes?: string[];
  InclusiveItemTypes?: string[];
  InclusivePrimitiveItemTypes?: string[];
}
interface TypeSpec {
  Properties?: Record<string, PropertySpec>;
}
interface Specification {
  ResourceTypes: Record<string, TypeSpec>;
  PropertyTypes: Record<string, TypeSpec>;
}

export type Template = Record<string, unknown> & {
  Parameters?: Record<string, unknown>;
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>>;
};

const spec = (requireTool("@aws-cdk/cfnspec") as { specification(): Specification }).specification();

const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);
const RESOURCE_ATTRIBUTES = new Set([
  "Type",
  "Properties",
  "Metadata",
  "DependsOn",
  "Condition",
  "DeletionPolicy",
  "UpdateReplacePolicy",
]);

export function resourceProperties(type: string): Record<string, PropertySpec> | undefined {
  return spec.ResourceTypes[type]?.Properties;
}

export function validateTemplate(template: Template): string[] {
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_ATTRIBUTES.has(key)) problems.push(`${id}.${key}: not a resource attribute`);
    }
    const properties = resourceProperties(resource.Type);
    if (!properties) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    problems.push(...checkProperties(id, resource.Type, properties, resource.Properties ?? {}));
  }
  const declared = new Set([...Object.keys(template.Parameters ?? {}), ...Object.keys(template.Resources ?? {})]);
  for (const name of referencedNames(template)) {
    if (!declared.has(name) && !PSEUDO_PARAMETERS.has(name)) problems.push(`reference to undeclared ${name}`);
  }
  const conditions = new Set(Object.keys(isObject(template.Conditions) ? template.Conditions : {}));
  for (const name of conditionNames(template)) {
    if (!conditions.has(name)) problems.push(`Fn::If on undeclared condition ${name}`);
  }
  return problems;
}

export function checkProperties(
  path: string,
  owner: string,
  properties: Record<string, PropertySpec>,
  value: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (!property) problems.push(`${path}.${name}: not a property of ${owner}`);
    else problems.push(...checkValue(`${path}.${name}`, owner, property, item));
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.Required && !(name in value)) problems.push(`${path}.${name}: required`);
  }
  return problems;
}

const isIntrinsic = (value: unknown) =>
  isObject(value) && Object.keys(value).length === 1 && /^(Ref|Fn::\w+)$/.test(Object.keys(value)[0] ?? "");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a value against every type the property allows; it passes when one of them fits. */
function checkValue(path: string, owner: string, property: PropertySpec, value: unknown): string[] {
  if (isIntrinsic(value)) return [];
  const attempts: Array<() => string[]> = [];
  for (const primitive of [property.PrimitiveType, ...(property.PrimitiveTypes ?? [])]) {
    if (primitive) attempts.push(() => checkPrimitive(path, primitive, value));
  }
  for (const type of property.Types ?? []) attempts.push(() => checkNamedType(path, owner, type, value));
  if (property.Type === "List" || property.Type === "Map") {
    const item = {
      ...(property.ItemType && { Type: property.ItemType }),
      ...(property.PrimitiveItemType && { PrimitiveType: property.PrimitiveItemType }),
      ...(property.PrimitiveItemTypes && { PrimitiveTypes: property.PrimitiveItemTypes }),
    };
    attempts.push(() => checkCollection(path, owner, property.Type === "List", item, value));
  } else if (property.Type) {
    const type = property.Type;
    attempts.push(() => checkNamedType(path, owner, type, value));
  }
  if (property.InclusiveItemTypes || property.InclusivePrimitiveItemTypes) {
    const item = {
      ...(property.InclusiveItemTypes && { Types: property.InclusiveItemTypes }),
      ...(property.InclusivePrimitiveItemTypes && { PrimitiveTypes: property.InclusivePrimitiveItemTypes }),
    };
    attempts.push(() => checkCollection(path, owner, true, item, value));
  }
  const results = attempts.map((attempt) => attempt());
  if (results.some((result) => result.length === 0)) return [];
  // None fits: report the closest match.
  return results.sort((a, b) => a.length - b.length)[0] ?? [];
}

function checkPrimitive(path: string, primitive: string, value: unknown): string[] {
  const fits: Record<string, (v: unknown) => boolean> = {
    String: (v) => typeof v === "string" || typeof v === "number",
    Timestamp: (v) => typeof v === "string",
    Integer: (v) => Number.isInteger(Number(v)) && v !== "" && typeof v !== "boolean",
    Long: (v) => Number.isInteger(Number(v)) && v !== "" && typeof v !== "boolean",
    Double: (v) => Number.isFinite(Number(v)) && v !== "" && typeof v !== "boolean",
    Boolean: (v) => typeof v === "boolean" || v === "true" || v === "false",
    Json: (v) => typeof v === "object" && v !== null,
  };
  return fits[primitive]?.(value) ? [] : [`${path}: expected ${primitive}, got ${JSON.stringify(value)}`];
}

function checkCollection(path: string, owner: string, isList: boolean, item: PropertySpec, value: unknown): string[] {
  if (isList ? !Array.isArray(value) : !isObject(value)) return [`${path}: expected a ${isList ? "list" : "map"}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, entry]) =>
    checkValue(isList ? `${path}[${key}]` : `${path}.${key}`, owner, item, entry),
  );
}

function checkNamedType(path: string, owner: string, type: string, value: unknown): string[] {
  const typeSpec = spec.PropertyTypes[`${owner}.${type}`] ?? spec.PropertyTypes[type];
  if (!typeSpec?.Properties) return [`${path}: the specification has no type ${type}`];
  if (!isObject(value)) return [`${path}: expected a ${type} object`];
  // A SAM event source's Properties depend on its Type: HttpApi -> HttpApiEvent, and so on.
  if (type === "EventSource" && typeof value.Type === "string") {
    const { Properties: eventProperties = {}, ...rest } = value;
    return [
      ...checkProperties(path, owner, typeSpec.Properties, { ...rest, Properties: {} }),
      ...checkNamedType(`${path}.Properties`, owner, `${value.Type}Event`, eventProperties),
    ];
  }
  return checkProperties(path, owner, typeSpec.Properties, value);
}

/** Every condition name an Fn::If anywhere in the template tests. */
function conditionNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(conditionNames);
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "Fn::If" && Array.isArray(value)
      ? [String(value[0]), ...conditionNames(value.slice(1))]
      : conditionNames(value),
  );
}

/** Every name used by Ref, Fn::GetAtt and Fn::Sub anywhere in the template. */
function referencedNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(referencedNames);
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === "Ref" && typeof value === "string") return [value];
    if (key === "Fn::GetAtt") {
      const target = Array.isArray(value) ? value[0] : String(value).split(".")[0];
      return [String(target)];
    }
    if (key === "Fn::Sub") {
      const [text, variables] = Array.isArray(value) ? value : [value, {}];
      const local = new Set(Object.keys(isObject(variables) ? variables : {}));
      const names = [...String(text).matchAll(/\$\{([^!}][^}]*)\}/g)].map(
        (match) => String(match[1]).split(".")[0] ?? "",
      );
      return [...names.filter((name) => !local.has(name)), ...referencedNames(variables)];
    }
    return referencedNames(value);
  });
}
