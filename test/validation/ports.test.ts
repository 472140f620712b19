import { portNameProblem, portNumberProblem } from '../../src/validation/ports';

describe('port numbers', () => {
  test.each([[1], [80], [443], [65535]])('%d is a valid port', (port) => {
    expect(portNumberProblem(port)).toBeUndefined();
  });

  test.each([[0], [-1], [-80], [65536], [100000]])('%d is out of range', (port) => {
    expect(portNumberProblem(port)).toBe('a port must be between 1 and 65535');
  });

  test.each([[1.5], [80.1], [NaN], [Infinity], ['80' as unknown as number], [undefined as unknown as number]])(
    '%p is not a whole number',
    (port) => {
      expect(portNumberProblem(port)).toBe('a port must be a whole number');
    },
  );
});

describe('named ports (IANA_SVC_NAME)', () => {
  test.each([['http'], ['metrics'], ['a'], ['h2c'], ['grpc-web'], ['8080-alt'], ['abcdefghijklmno']])('%s is a valid port name', (name) => {
    expect(portNameProblem(name)).toBeUndefined();
  });

  test('an empty name is rejected', () => {
    expect(portNameProblem('')).toBe('a port name must be a non-empty string');
  });

  test('a name longer than 15 characters is rejected', () => {
    expect(portNameProblem('abcdefghijklmnop')).toBe('a port name is at most 15 characters (IANA_SVC_NAME); "abcdefghijklmnop" has 16');
  });

  test.each([['Metrics'], ['HTTP'], ['http_port'], ['http.port'], ['http port'], ['métrics']])('%p has characters IANA_SVC_NAME forbids', (name) => {
    expect(portNameProblem(name)).toBe('a port name may contain only lower-case letters, digits and "-" (IANA_SVC_NAME)');
  });

  test.each([['123'], ['8080'], ['1-2']])('%p has no letter', (name) => {
    expect(portNameProblem(name)).toBe('a port name must contain at least one letter (IANA_SVC_NAME); use a number for a numeric port');
  });

  test.each([['-http'], ['http-'], ['-']])('%p begins or ends with a hyphen', (name) => {
    const expected = name === '-'
      ? 'a port name must contain at least one letter (IANA_SVC_NAME); use a number for a numeric port'
      : 'a port name must not begin or end with "-" (IANA_SVC_NAME)';
    expect(portNameProblem(name)).toBe(expected);
  });

  test('consecutive hyphens are rejected', () => {
    expect(portNameProblem('my--port')).toBe('a port name must not contain "--" (IANA_SVC_NAME)');
  });
});
