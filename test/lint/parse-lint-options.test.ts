import { Cni } from '../../src/lint/cni';
import { parseLintOptions } from '../../src/lint/parse-lint-options';
import { Severity } from '../../src/lint/severity';
import { thrown } from '../support/thrown';

describe('parseLintOptions', () => {
  test('nothing given: failOn error, no CNI, the default scraper (left to the linter)', () => {
    expect(parseLintOptions({})).toStrictEqual({ failOn: Severity.ERROR, lint: { cni: undefined, cniVersion: undefined, scraper: undefined } });
  });

  test('every option, as code passes them and as YAML and flags do', () => {
    const typed = parseLintOptions({
      failOn: Severity.WARNING, cni: Cni.CILIUM, cniVersion: '1.15', scraper: { namespace: 'monitoring', labels: { app: 'prometheus' } },
    });
    const written = parseLintOptions({ failOn: 'warning', cni: 'Cilium@1.15', scraper: 'monitoring/app=prometheus' });
    expect(typed).toStrictEqual({
      failOn: Severity.WARNING,
      lint: { cni: Cni.CILIUM, cniVersion: '1.15', scraper: { namespace: 'monitoring', labels: { app: 'prometheus' } } },
    });
    expect(written).toStrictEqual(typed);
  });

  test('podCidrs: a list, or CIDRs separated by commas, in canonical form', () => {
    const list = parseLintOptions({ podCidrs: ['10.244.0.0/16', 'FD00:10:244::/56'] }).lint.podCidrs;
    expect(list).toStrictEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    expect(parseLintOptions({ podCidrs: '10.244.0.0/16, fd00:10:244::/56' }).lint.podCidrs).toStrictEqual(list);
    expect(parseLintOptions({}).lint).not.toHaveProperty('podCidrs');
  });

  test('a scraper label key may contain "/": the namespace ends at the first one', () => {
    expect(parseLintOptions({ scraper: 'monitoring/app.kubernetes.io/name=prometheus,team=sre' }).lint.scraper)
      .toStrictEqual({ namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus', 'team': 'sre' } });
  });

  test('the scraper is copied: changing the caller\'s object later changes nothing', () => {
    const scraper = { namespace: 'monitoring', labels: { app: 'prometheus' } };
    const parsed = parseLintOptions({ scraper });
    scraper.labels.app = 'Not Valid!';
    expect(parsed.lint.scraper).toStrictEqual({ namespace: 'monitoring', labels: { app: 'prometheus' } });
  });

  test.each([
    [{ failOn: 'info' }, 'failOn "info" is not a severity; use error or warning.'],
    [{ cni: 'calicoo' }, /^cni "calicoo" is not a CNI this tool knows; use one of calico, cilium, .* \(see docs\/cni\.md\)\.$/],
    [{ cni: 3 }, /^cni 3 is not a CNI this tool knows/],
    [{ cni: 'cilium@1@2' }, 'cni must be <name> or <name>@<version> (e.g. cilium@1.15), got "cilium@1@2".'],
    [{ cni: 'cilium@1.15', cniVersion: '1.16' }, 'The CNI version is given twice (cni "cilium@1.15" and cniVersion "1.16"); give it once.'],
    [{ cni: 'cilium', cniVersion: 'latest' }, 'Invalid CNI version "latest": write numbers and dots, e.g. 1.15 or v3.18.2.'],
    [{ cni: 'cilium', cniVersion: 1.15 }, 'Invalid CNI version 1.15: write numbers and dots, e.g. 1.15 or v3.18.2.'],
    [{ cniVersion: '1.15' }, 'A CNI version ("1.15") was given without a CNI: give cni too.'],
    [{ scraper: 'monitoring' }, /^scraper must be <namespace>\/<key>=<value>\[,<key>=<value>\], e\.g\. .*; got "monitoring"\.$/],
    [{ scraper: { namespace: 'monitoring' } }, /^scraper must be \{ namespace: <namespace>, labels: \{ <key>: <value> \} \} or the text /],
    [{ scraper: { namespace: 'Monitoring', labels: { app: 'p' } } }, /^Invalid metrics scraper: namespace "Monitoring": /],
    [{ scraper: { namespace: 'monitoring', labels: { app: 5 } } }, 'Invalid metrics scraper: label app=5: the value must be a string.'],
    [{ scraper: { namespace: 'monitoring', labels: {} } }, 'Invalid metrics scraper: labels: give at least one label the scraper pods carry.'],
    [{ podCidrs: '10.244.0.0' }, 'podCidrs "10.244.0.0": the CIDR mask is missing: did you mean "10.244.0.0/32"?'],
    [{ podCidrs: [] }, 'podCidrs must list 1 to 16 CIDRs (e.g. 10.244.0.0/16,fd00:10:244::/56), got [].'],
    [{ podCidrs: [10] }, 'podCidrs must list 1 to 16 CIDRs (e.g. 10.244.0.0/16,fd00:10:244::/56), got [10].'],
  ])('%j is refused', (input, message) => {
    if (typeof message === 'string') expect(thrown(() => parseLintOptions(input))).toBe(message);
    else expect(thrown(() => parseLintOptions(input))).toMatch(message);
  });

  test('messages use the names the front-end gave the options', () => {
    const flags = { failOn: '--fail-on', cni: '--cni', cniVersion: '--cni', scraper: '--scraper', podCidrs: '--pod-cidr' };
    expect(thrown(() => parseLintOptions({ failOn: 'info' }, flags))).toBe('--fail-on "info" is not a severity; use error or warning.');
    expect(thrown(() => parseLintOptions({ podCidrs: ['10.244.0.1/16'] }, flags))).toBe('--pod-cidr "10.244.0.1/16": host bits are set after the /16 prefix: did you mean "10.244.0.0/16"?');
  });

  test('options that are not a mapping', () => {
    expect(thrown(() => parseLintOptions([] as never))).toBe('The lint options must be a mapping of failOn, cni, cniVersion, scraper, podCidrs, got [].');
  });
});
