import { UsageError } from './io';
import { FlowPort } from '../analysis/flow-port';
import { Protocol } from '../protocol';

const PORT_NOTATION = /^([0-9]+)(?:\/([A-Za-z]+))?$/;

/**
 * The values of a repeatable `--port N/PROTOCOL` option (`8080/TCP`, `53/udp`;
 * `N` alone is TCP), in the order given, each once; undefined when absent.
 */
export function flowPortsOption(command: string, value: unknown): FlowPort[] | undefined {
  if (value === undefined) return undefined;
  const found = new Map<string, FlowPort>();
  for (const text of Array.isArray(value) ? value.map(String) : [String(value)]) {
    const port = parseFlowPort(text);
    if (!port) {
      throw new UsageError(`--port must be N or N/PROTOCOL, with N a port number from 1 to 65535 and PROTOCOL TCP, UDP or SCTP (e.g. 8080/TCP, 53/UDP), got "${text}"`, command);
    }
    found.set(`${port.port}/${port.protocol}`, port);
  }
  return [...found.values()];
}

function parseFlowPort(text: string): FlowPort | undefined {
  const match = PORT_NOTATION.exec(text);
  if (!match) return undefined;
  const port = Number(match[1]);
  const protocol = (match[2] ?? Protocol.TCP).toUpperCase();
  if (port < 1 || port > 65535 || !(Object.values(Protocol) as string[]).includes(protocol)) return undefined;
  return { port, protocol: protocol as Protocol };
}
