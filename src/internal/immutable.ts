/**
 * Runtime immutability for values of the public API: TypeScript's `readonly`
 * does not stop JavaScript (or jsii) callers, and `Port.HTTP.portNumber = 8081`
 * would change every later policy.
 *
 * Fields are made non-writable and non-configurable, and the object stays
 * extensible: the jsii kernel tags each object it hands to another language
 * with a (symbol) property, which `Object.freeze` would refuse.
 */
export function lockFields(target: object, ...fields: string[]): void {
  for (const field of fields) {
    const descriptor = Object.getOwnPropertyDescriptor(target, field);
    Object.defineProperty(target, field, {
      value: descriptor?.value,
      writable: false,
      configurable: false,
      enumerable: descriptor?.enumerable ?? true,
    });
  }
}

/** A frozen shallow copy of an array given by a caller: later changes to theirs do not reach ours, nor ours to anything. */
export function frozenArray<T>(items: readonly T[]): T[] {
  return Object.freeze([...items]) as T[];
}

/** A frozen shallow copy of a string map given by a caller. */
export function frozenMap(map: { readonly [key: string]: string }): { [key: string]: string } {
  return Object.freeze({ ...map });
}

/**
 * Defines a read-only field on an object being created: a cheap
 * definition (lockFields redefines fields that exist, which V8 does about
 * four times slower, and values are made by the tens of thousands in a large
 * app). The field must be declared with `declare` in its class: under ES2022
 * a plain declaration emits a class field, defined writable before the
 * constructor runs, and this would then redefine it.
 */
export function defineReadOnly(target: object, field: string, value: unknown): void {
  Object.defineProperty(target, field, { value, enumerable: true, writable: false, configurable: false });
}
