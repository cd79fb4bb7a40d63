// GitHub's own description of its REST API (npm @octokit/openapi, api.github.com, OpenAPI 3.0)
// as a checker for the tests' GitHub stand-in: every request the action sends and every answer
// the stand-in gives is held against it, so a field, type or endpoint GitHub does not have
// fails a test instead of passing against a server written by hand.
//
// How:
// - The description (13 MB) is read once per test file, lazily; a path is routed to its
//   operation by its template (`/repos/{owner}/{repo}/issues/{issue_number}`), literal
//   segments winning over parameters, as GitHub's router does.
// - Per operation, on first use, the schemas it needs (and the components they reference,
//   nothing else) are copied into a small document for ajv; OpenAPI 3.0's `nullable` is
//   rewritten to JSON Schema (`type: [t, "null"]`) on the way.
// - Requests are held stricter than the description's letter: an object in a request body
//   is closed (no property GitHub does not list), and so is the query string. GitHub
//   silently drops what it does not know, so a misspelt or misplaced field (`state_reason`
//   on create) would otherwise pass here and do nothing there.
// - Answers are held to the schema of their status. GitHub documents only some error
//   statuses per operation, yet any operation may answer 401, 403, 404, 5xx: an undocumented
//   4xx or 5xx is accepted when its body is GitHub's basic error; an undocumented 2xx or 3xx
//   is a problem.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

type Json = Record<string, unknown>
type Headers = Record<string, string | string[] | undefined>

export interface GitHubValidator {
  /** Problems with a request, none when GitHub would take it as it is. */
  checkRequest(method: string, path: string, query: URLSearchParams, headers: Headers, body: unknown): string[]
  /** Problems with an answer to a request: its status and body against the description. */
  checkResponse(method: string, path: string, status: number, headers: Headers, body: unknown): string[]
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Json
}

interface Operation {
  operationId: string
  parameters?: (Parameter | { $ref: string })[]
  requestBody?: Json | { $ref: string }
  responses: Record<string, Json | { $ref: string }>
}

interface Route {
  template: string
  pattern: RegExp
  names: string[]
  literals: number
  item: Record<string, unknown>
}

interface Compiled {
  op: Operation
  parameters: Parameter[]
  body: ValidateFunction | null
  bodyRequired: boolean
  responses: Map<string, ValidateFunction | null>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const MAX_PROBLEMS = 12

interface Spec {
  paths: Record<string, Record<string, unknown>>
  components: Record<string, Record<string, Json>>
}

let specCache: Spec | null = null
/** Milliseconds the last read of the description took (for the record). */
export let specLoadMs = 0

function loadSpec(): Spec {
  if (!specCache) {
    const started = performance.now()
    const require = createRequire(import.meta.url)
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json')
    specCache = JSON.parse(readFileSync(file, 'utf8')) as Spec
    specLoadMs = Math.round(performance.now() - started)
  }
  return specCache
}

let shared: GitHubValidator | null = null
/** One checker for a test file: it keeps what it compiled, and holds no state of a stand-in. */
export function sharedGitHubValidator(): GitHubValidator {
  shared ??= createGitHubValidator()
  return shared
}

export function createGitHubValidator(): GitHubValidator {
  const spec = loadSpec()
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false })
  addFormats.default(ajv)

  const deref = <T>(node: T | { $ref: string }): T => {
    let current: unknown = node
    while (current && typeof current === 'object' && '$ref' in current) {
      const parts = String((current as { $ref: string }).$ref).replace(/^#\//, '').split('/')
      current = parts.reduce<unknown>((o, key) => (o as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec)
    }
    return current as T
  }

  const routes: Route[] = Object.entries(spec.paths).map(([template, item]) => {
    const names: string[] = []
    const segments = template.split('/').map((segment) => {
      if (/^\{[^}]+\}$/.test(segment)) {
        names.push(segment.slice(1, -1))
        return '([^/]+)'
      }
      return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    })
    const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length
    return { template, pattern: new RegExp(`^${segments.join('/')}$`), names, literals, item }
  })
  routes.sort((a, b) => b.literals - a.literals)

  const route = (path: string) => {
    for (const r of routes) {
      const m = r.pattern.exec(path)
      if (m) return { route: r, values: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) }
    }
    return null
  }

  let documents = 0
  /**
   * A schema of the description as ajv takes it, in a document of its own with the component
   * schemas it references and no others (all 1,000-odd would cost a second to add).
   */
  const compile = (schema: Json, closed: boolean): ValidateFunction => {
    const needed = new Map<string, Json>()
    const collect = (node: unknown) => {
      if (Array.isArray(node)) return node.forEach(collect)
      if (!node || typeof node !== 'object') return
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const name = value.replace('#/components/schemas/', '')
          if (!needed.has(name)) {
            const target = spec.components.schemas[name]
            if (!target) throw new Error(`the description has no ${value}`)
            needed.set(name, target)
            collect(target)
          }
        } else collect(value)
      }
    }
    collect(schema)
    const id = `https://github-openapi.local/${++documents}`
    const schemas = [...needed].map(([name, s]) => [name, toJsonSchema(s, closed)])
    ajv.addSchema({ $id: id, target: toJsonSchema(schema, closed), components: { schemas: Object.fromEntries(schemas) } })
    return ajv.compile({ $ref: `${id}#/target` })
  }

  const operations = new Map<string, Compiled | null>()
  const operation = (method: string, path: string) => {
    const found = route(path)
    const op = found ? (found.route.item[method.toLowerCase()] as Operation | undefined) : undefined
    if (!found || !op) return null
    const key = `${method.toLowerCase()} ${found.route.template}`
    let compiled = operations.get(key)
    if (!compiled) {
      const shared = (found.route.item.parameters ?? []) as Operation['parameters']
      const parameters = [...(shared ?? []), ...(op.parameters ?? [])].map((p) => deref<Parameter>(p))
      const requestBody = op.requestBody ? deref<Json>(op.requestBody) : null
      const bodySchema = (requestBody?.content as Record<string, { schema?: Json }> | undefined)?.['application/json']
        ?.schema
      compiled = {
        op,
        parameters,
        body: bodySchema ? compile(bodySchema, true) : null,
        bodyRequired: requestBody?.required === true,
        responses: new Map()
      }
      operations.set(key, compiled)
    }
    return { compiled, values: found.values, template: found.route.template }
  }

  const responseValidator = (compiled: Compiled, status: string): ValidateFunction | null | undefined => {
    if (!compiled.responses.has(status)) {
      const documented = compiled.op.responses[status]
      if (!documented) return undefined
      const content = deref<Json>(documented).content as Record<string, { schema?: Json }> | undefined
      const schema = content?.['application/json']?.schema
      compiled.responses.set(status, schema ? compile(schema, false) : null)
    }
    return compiled.responses.get(status)
  }

  let basicError: ValidateFunction | null = null

  return {
    checkRequest(method, path, query, headers, body) {
      const found = operation(method, path)
      if (!found) {
        const known = route(path)
        return [
          known
            ? `GitHub has no ${method.toUpperCase()} on ${known.route.template} (it has ${METHODS.filter((m) => m in known.route.item)
                .map((m) => m.toUpperCase())
                .join(', ')})`
            : `GitHub has no endpoint ${method.toUpperCase()} ${path}`
        ]
      }
      const { compiled, values } = found
      const problems: string[] = []
      for (const p of compiled.parameters.filter((p) => p.in === 'path')) {
        problems.push(...checkParameter(p, values[p.name]))
      }
      const queryParameters = compiled.parameters.filter((p) => p.in === 'query')
      for (const name of new Set(query.keys())) {
        if (!queryParameters.some((p) => p.name === name)) problems.push(`query: GitHub has no parameter "${name}" here`)
      }
      for (const p of queryParameters) {
        const all = query.getAll(p.name)
        if (all.length > 1 && p.schema?.type !== 'array') problems.push(`query: "${p.name}" given ${all.length} times`)
        problems.push(...checkParameter(p, all[0]))
      }
      for (const p of compiled.parameters.filter((p) => p.in === 'header')) {
        const value = headers[p.name.toLowerCase()]
        problems.push(...checkParameter(p, Array.isArray(value) ? value.join(', ') : value))
      }
      if (body === undefined) {
        if (compiled.bodyRequired) problems.push('body: required, none sent')
      } else if (!compiled.body) {
        problems.push('body: this operation takes none')
      } else {
        const type = String(headers['content-type'] ?? '')
        if (!/^application\/json\b/.test(type)) problems.push(`body: sent as "${type}", GitHub takes application/json`)
        if (!compiled.body(body)) problems.push(...describe('body', compiled.body.errors))
      }
      return problems
    },

    checkResponse(method, path, status, headers, body) {
      const found = operation(method, path)
      if (!found) return [] // the request's check said so already
      const { compiled } = found
      let validate = responseValidator(compiled, String(status))
      if (validate === undefined) validate = responseValidator(compiled, `${String(status)[0]}XX`)
      if (validate === undefined) validate = responseValidator(compiled, 'default')
      if (validate === undefined) {
        if (status < 400) {
          const documented = Object.keys(compiled.op.responses).join(', ')
          return [`answer: status ${status} is not documented for ${compiled.op.operationId} (documented: ${documented})`]
        }
        basicError ??= compile({ $ref: '#/components/schemas/basic-error' }, false)
        validate = basicError
      }
      if (validate === null) {
        return body === undefined || body === null || body === '' ? [] : [`answer ${status}: GitHub sends no body here`]
      }
      const problems: string[] = []
      const type = String(headers['content-type'] ?? '')
      if (!/^application\/json\b/.test(type)) problems.push(`answer ${status}: content-type "${type}", not JSON`)
      if (!validate(body)) problems.push(...describe(`answer ${status}`, validate.errors))
      return problems
    }
  }
}

/** A path, query or header value (always a string on the wire) against its schema. */
function checkParameter(p: Parameter, value: string | undefined): string[] {
  const where = `${p.in} parameter "${p.name}"`
  if (value === undefined) return p.required ? [`${where}: required, missing`] : []
  const schema = p.schema ?? {}
  const problems: string[] = []
  const type = schema.type
  if (type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`${where}: "${value}" is not an integer`)
  if (type === 'number' && !Number.isFinite(Number(value))) problems.push(`${where}: "${value}" is not a number`)
  if (type === 'boolean' && value !== 'true' && value !== 'false') problems.push(`${where}: "${value}" is not a boolean`)
  if (Array.isArray(schema.enum) && !schema.enum.map(String).includes(value)) {
    problems.push(`${where}: "${value}" is not one of ${schema.enum.join(', ')}`)
  }
  if (type === 'integer' && problems.length === 0) {
    const n = Number(value)
    if (typeof schema.minimum === 'number' && n < schema.minimum) problems.push(`${where}: ${n} < ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && n > schema.maximum) problems.push(`${where}: ${n} > ${schema.maximum}`)
  }
  if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${where}: "${value}" is not a date-time`)
  return problems
}

/**
 * OpenAPI 3.0 schema to JSON Schema for ajv: `nullable` as a null type; with `closed`, every
 * object that lists its properties takes no others (except as a member of allOf, where the
 * members together describe one object).
 */
export function toJsonSchema(schema: unknown, closed: boolean, inAllOf = false): Json {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema as Json
  const out: Json = {}
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key === 'discriminator') continue
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, closed)]))
    } else if ((key === 'items' || key === 'not' || key === 'additionalProperties') && typeof value === 'object') {
      out[key] = toJsonSchema(value, closed)
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((v) => toJsonSchema(v, closed, key === 'allOf'))
    } else out[key] = value
  }
  if (closed && !inAllOf && out.properties && out.additionalProperties === undefined && !out.allOf) {
    out.additionalProperties = false
  }
  if ((schema as Json).nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
      return out
    }
    return { anyOf: [out, { type: 'null' }] }
  }
  return out
}

/** ajv's errors as short lines; the anyOf/oneOf summaries and "must be null" of nullable dropped when more telling ones exist. */
function describe(where: string, errors: ErrorObject[] | null | undefined): string[] {
  const all = errors ?? []
  const telling = all.filter((e) => !['anyOf', 'oneOf'].includes(e.keyword) && !(e.keyword === 'type' && e.params.type === 'null'))
  const lines = (telling.length ? telling : all).map((e) => {
    const at = `${where}${e.instancePath ? ` ${e.instancePath}` : ''}`
    if (e.keyword === 'additionalProperties') return `${at}: GitHub has no field "${e.params.additionalProperty}" here`
    if (e.keyword === 'required') return `${at}: required field "${e.params.missingProperty}" missing`
    if (e.keyword === 'enum') return `${at}: ${JSON.stringify(e.data)} is not one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    return `${at}: ${e.message}`
  })
  const unique = [...new Set(lines)]
  return unique.length > MAX_PROBLEMS ? [...unique.slice(0, MAX_PROBLEMS), `${where}: … ${unique.length - MAX_PROBLEMS} more`] : unique
}
