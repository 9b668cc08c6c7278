/**
 * @module The configuration schema as JSON Schema (draft 2020-12), generated from config-schema.ts so that
 * editors (yaml-language-server, VS Code) can check and complete a file. packages/server/config-schema.json is
 * this output; a test keeps the two equal.
 */
import { CONFIG_SCHEMA } from './config-schema.js'
import type { SchemaNode } from './schema-node.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** The published `$id` of the schema. */
export const CONFIG_SCHEMA_ID = 'https://vconkit.dev/schemas/conserver-config.json'

/** One schema node as JSON Schema. */
export function nodeToJsonSchema(node: SchemaNode): { [key: string]: Json } {
  switch (node.kind) {
    case 'integer':
      return {
        type: 'integer',
        description: node.description,
        minimum: node.min,
        ...(node.max === undefined ? {} : { maximum: node.max }),
        ...(node.default === undefined ? {} : { default: node.default }),
      }
    case 'string':
      return {
        type: 'string',
        description: node.description,
        minLength: node.minLength ?? 1,
        ...(node.pattern === undefined ? {} : { pattern: node.pattern }),
        ...(node.default === undefined ? {} : { default: node.default }),
        ...(node.example === undefined ? {} : { examples: [node.example] }),
      }
    case 'enum':
      return {
        type: 'string',
        description: node.description,
        enum: [...node.values],
        ...(node.default === undefined ? {} : { default: node.default }),
      }
    case 'array':
      return {
        type: 'array',
        description: node.description,
        items: nodeToJsonSchema(node.items),
        ...(node.minItems === undefined ? {} : { minItems: node.minItems }),
        ...(node.default === undefined ? {} : { default: node.default as Json }),
      }
    case 'object': {
      const properties: { [key: string]: Json } = {}
      for (const key of node.ignored ?? []) properties[key] = { type: 'string' }
      for (const [key, field] of Object.entries(node.fields))
        properties[key] = nodeToJsonSchema(field)
      return {
        type: 'object',
        description: node.description,
        properties,
        ...(node.required === undefined ? {} : { required: [...node.required] }),
        additionalProperties: false,
      }
    }
    case 'open-object':
      return { type: 'object', description: node.description }
    case 'shorthand': {
      const key = node.object.fields[node.shorthandKey]
      const short = key === undefined ? { type: 'string' } : nodeToJsonSchema(key)
      return {
        description: node.description,
        oneOf: [
          { ...short, description: `Short for ${node.shorthandKey}: <value>.` },
          nodeToJsonSchema(node.object),
        ],
      }
    }
  }
}

/** The whole configuration schema, ready to write as config-schema.json. */
export function configJsonSchema(): { [key: string]: Json } {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CONFIG_SCHEMA_ID,
    title: 'vconkit conserver configuration',
    ...nodeToJsonSchema(CONFIG_SCHEMA),
  }
}
