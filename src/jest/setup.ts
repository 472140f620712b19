/**
 * Registers the cdk8s-netpol matchers: list `cdk8s-netpol/lib/jest/setup` in
 * Jest's `setupFilesAfterEnv` and use `toAllowTraffic` / `toDenyTraffic` anywhere.
 */
import { netpolMatchers } from './matchers';
import './index';

expect.extend(netpolMatchers);
