import { defineReadOnly, frozenArray } from '../internal/immutable';
import { assertRe2Pattern } from '../validation/re2-pattern';

/**
 * Options of an `HttpRule`: what a request must match (every field given).
 */
export interface HttpRuleOptions {
  /**
   * The method, a regular expression (RE2) matched against the request's method, e.g. `GET` or `GET|HEAD`.
   * @default - any method
   */
  readonly method?: string;

  /**
   * The path, a regular expression (RE2) matched against the request's path, e.g. `/public/.*`.
   * @default - any path
   */
  readonly path?: string;

  /**
   * The host, matched against the request's Host header, e.g. `api.example.com`.
   * @default - any host
   */
  readonly host?: string;

  /**
   * Headers that must be present, each `Name` or `Name: value`.
   * @default - none required
   */
  readonly headers?: string[];
}

const HTTP_METHOD_HINT = 'e.g. GET, or GET|HEAD';
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(: ?[^\r\n\x00]*)?$/;
const HOST = /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/;

/**
 * An L7 HTTP rule (Cilium target only): on the ports of the rule it is given
 * to, only requests that match one of the rule's HttpRules pass.
 *
 * Another rule that allows the same peer on the same port without HTTP rules
 * makes these moot (Cilium then allows every request); `cdk8s-netpol lint`
 * reports that.
 *
 * @example
 * HttpRule.get('/public/.*')
 * HttpRule.of({ method: 'POST', path: '/v1/charges', host: 'api.example.com' })
 */
export class HttpRule {
  /**
   * GET requests whose path matches `path` (a regular expression).
   * @param path the path pattern, e.g. `/public/.*`
   */
  public static get(path: string): HttpRule {
    return new HttpRule({ method: 'GET', path });
  }

  /**
   * Requests that match every field given.
   * @param options at least one of method, path, host, headers
   */
  public static of(options: HttpRuleOptions): HttpRule {
    return new HttpRule(options);
  }

  /** The method pattern. @default - any method */
  declare public readonly method?: string;
  /** The path pattern. @default - any path */
  declare public readonly path?: string;
  /** The Host header. @default - any host */
  declare public readonly host?: string;
  /** Headers that must be present. @default - none */
  declare public readonly headers?: string[];

  private constructor(options: HttpRuleOptions) {
    const where = 'HttpRule';
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${where}: the options must be an object, got ${options === null ? 'null' : typeof options}.`);
    }
    const { method, path, host, headers } = options;
    if (method === undefined && path === undefined && host === undefined && headers === undefined) {
      throw new Error(`${where}: a rule with no method, path, host or headers matches every request; give one, or allow the port without HTTP rules.`);
    }
    if (method !== undefined) {
      assertRe2Pattern(method, `${where}: the method`);
      if (!/^[A-Za-z|()^$]+$/.test(method)) {
        throw new Error(`${where}: the method ${JSON.stringify(method)} should be method names, alternatives with "|" (${HTTP_METHOD_HINT}).`);
      }
    }
    if (path !== undefined) assertRe2Pattern(path, `${where}: the path`);
    if (host !== undefined && (typeof host !== 'string' || host.length > 253 || !HOST.test(host))) {
      throw new Error(`${where}: the host ${JSON.stringify(host)} must be a DNS name, e.g. api.example.com.`);
    }
    if (headers !== undefined) {
      if (!Array.isArray(headers) || headers.length === 0) {
        throw new Error(`${where}: headers must be a non-empty list of "Name" or "Name: value" strings.`);
      }
      for (const header of headers) {
        if (typeof header !== 'string' || !HEADER.test(header)) {
          throw new Error(`${where}: the header ${JSON.stringify(header)} must be "Name" or "Name: value" (a token name, a value without line breaks).`);
        }
      }
    }
    defineReadOnly(this, 'method', method);
    defineReadOnly(this, 'path', path);
    defineReadOnly(this, 'host', host);
    defineReadOnly(this, 'headers', headers && frozenArray(headers));
  }

  /** `GET /public/.*`, `POST /v1/charges host api.example.com`, `any method, header X-Debug`. */
  public toString(): string {
    const parts = [this.method ?? 'any method'];
    if (this.path !== undefined) parts.push(this.path);
    if (this.host !== undefined) parts.push(`host ${this.host}`);
    if (this.headers !== undefined) parts.push(`header ${this.headers.join(', ')}`);
    return parts.join(' ');
  }

  /**
   * The rule as in a CiliumNetworkPolicy (`rules.http[]`).
   * @internal
   */
  public _toCilium(): { method?: string; path?: string; host?: string; headers?: string[] } {
    return { method: this.method, path: this.path, host: this.host, headers: this.headers && [...this.headers] };
  }
}
