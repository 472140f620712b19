import * as fs from 'fs';
import * as path from 'path';
import { Cni } from '../../src/lint/cni';
import { activeGaps, CNI_SUPPORT, cniAliases, cniSupport, compareVersions, isCniVersion, KUBERNETES_END_PORT_NOTE, parseCni, PolicyFeature } from '../../src/lint/cni-support';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cni.md'), 'utf8');
const ALL = Object.values(Cni);

describe('the CNI support table', () => {
  test('every Cni has an entry, filed under its own key', () => {
    expect(Object.keys(CNI_SUPPORT).sort()).toEqual([...ALL].sort());
    for (const cni of ALL) {
      expect(CNI_SUPPORT[cni].cni).toBe(cni);
      expect(cniSupport(cni)).toBe(CNI_SUPPORT[cni]);
    }
  });

  test('Cni values are the CLI names: lower-case kebab-case', () => {
    for (const cni of ALL) expect(cni).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test('Flannel enforces nothing, and says why; every other CNI enforces NetworkPolicy', () => {
    const flannel = cniSupport(Cni.FLANNEL);
    expect(flannel.enforcesNetworkPolicy).toBe(false);
    expect(flannel.gaps.map((g) => g.feature)).toContain(PolicyFeature.NETWORK_POLICY);
    for (const cni of ALL.filter((c) => c !== Cni.FLANNEL)) {
      expect({ cni, enforces: cniSupport(cni).enforcesNetworkPolicy }).toEqual({ cni, enforces: true });
    }
  });

  test('every CNI and every gap cites an https source', () => {
    for (const cni of ALL) {
      const support = cniSupport(cni);
      expect(new URL(support.source).protocol).toBe('https:');
      for (const gap of support.gaps) expect({ cni, source: new URL(gap.source).protocol }).toEqual({ cni, source: 'https:' });
    }
    expect(new URL(KUBERNETES_END_PORT_NOTE.source).protocol).toBe('https:');
  });

  test('every note is one user-facing sentence about a known feature', () => {
    for (const cni of ALL) {
      for (const gap of cniSupport(cni).gaps) {
        // a capital, or a name written in lower case by its project
        expect({ cni, note: gap.note }).toEqual({ cni, note: expect.stringMatching(/^([A-Z]|kube-router ).*\.$/s) });
        expect(gap.note).not.toMatch(/TODO|\.\s+[A-Z]/);
        expect(Object.values(PolicyFeature)).toContain(gap.feature);
      }
    }
  });

  test('the gaps the lint rules rely on are there', () => {
    const features = (cni: Cni) => cniSupport(cni).gaps.map((g) => g.feature);
    expect(features(Cni.CILIUM)).toContain(PolicyFeature.END_PORT);
    expect(cniSupport(Cni.CILIUM).gaps.find((g) => g.feature === PolicyFeature.END_PORT)?.fixedIn).toBe('1.16');
    const cilium = cniSupport(Cni.CILIUM).gaps;
    expect(cilium.find((g) => g.feature === PolicyFeature.CILIUM_NAMESPACE_LABEL_PEERS)?.fixedIn).toBe('1.16');
    expect(cilium.find((g) => g.feature === PolicyFeature.CILIUM_ENABLE_DEFAULT_DENY)?.fixedIn).toBe('1.16');
    expect(features(Cni.KUBE_ROUTER)).toEqual(expect.arrayContaining([PolicyFeature.SCTP, PolicyFeature.HOST_NETWORK]));
    expect(features(Cni.WEAVE)).toContain(PolicyFeature.NAMED_PORTS);
    expect(cniSupport(Cni.AZURE_NPM).gaps.filter((g) => g.appliesTo === 'Windows nodes').map((g) => g.feature)).toEqual(
      expect.arrayContaining([PolicyFeature.NAMED_PORTS, PolicyFeature.SCTP, PolicyFeature.NEGATIVE_SELECTORS, PolicyFeature.IP_BLOCK_EXCEPT]),
    );
  });
});

describe('parseCni', () => {
  test.each(ALL)('round-trips %s, in any case and with spaces around', (cni) => {
    expect(parseCni(cni)).toBe(cni);
    expect(parseCni(cni.toUpperCase())).toBe(cni);
    expect(parseCni(`  ${cni}\n`)).toBe(cni);
  });

  test.each([
    ['weave-net', Cni.WEAVE],
    ['Weave Net', Cni.WEAVE],
    ['weave_net', Cni.WEAVE],
    ['aws', Cni.AWS_VPC_CNI],
    ['AWS', Cni.AWS_VPC_CNI],
    ['amazon-vpc-cni', Cni.AWS_VPC_CNI],
    ['eks', Cni.AWS_VPC_CNI],
    ['azure', Cni.AZURE_NPM],
    ['Azure_NPM', Cni.AZURE_NPM],
    ['canal', Cni.CALICO],
    ['gke-dataplane-v2', Cni.CILIUM],
    ['kuberouter', Cni.KUBE_ROUTER],
    ['ovn-k8s', Cni.OVN_KUBERNETES],
  ])('accepts the alias %s', (alias, cni) => {
    expect(parseCni(alias)).toBe(cni);
  });

  test('every alias resolves to a Cni and is not itself a Cni value', () => {
    for (const [alias, cni] of Object.entries(cniAliases())) {
      expect(parseCni(alias)).toBe(cni);
      expect(ALL as string[]).not.toContain(alias);
    }
  });

  test.each(['', ' ', 'calicoo', 'weave net plus', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'CALICO_', 'npm'])(
    'rejects %j',
    (name) => {
      expect(parseCni(name)).toBeUndefined();
    },
  );
});

describe('docs/cni.md stays in step with the table', () => {
  test('it names every CNI by its display name and its --cni value', () => {
    for (const cni of ALL) {
      expect({ cni, displayName: DOC.includes(cniSupport(cni).displayName) }).toEqual({ cni, displayName: true });
      expect({ cni, value: DOC.includes(`\`${cni}\``) }).toEqual({ cni, value: true });
    }
  });

  test('it cites every source URL of the table', () => {
    const cited = new Set([...DOC.matchAll(/\]\((https:[^)\s]+)\)|<(https:[^>\s]+)>/g)].map((m) => m[1] ?? m[2]));
    const missing: string[] = [];
    for (const cni of ALL) {
      const support = cniSupport(cni);
      for (const url of [support.source, ...support.gaps.map((g) => g.source)]) if (!cited.has(url)) missing.push(`${cni}: ${url}`);
    }
    if (!cited.has(KUBERNETES_END_PORT_NOTE.source)) missing.push(`kubernetes: ${KUBERNETES_END_PORT_NOTE.source}`);
    expect(missing).toEqual([]);
  });

  test('it lists every alias parseCni accepts', () => {
    for (const alias of Object.keys(cniAliases())) expect({ alias, listed: DOC.includes(`\`${alias}\``) }).toEqual({ alias, listed: true });
  });

  test('it is dated', () => {
    expect(DOC).toMatch(/[Cc]hecked November 2026/);
  });
});

describe('versions', () => {
  test('compareVersions is numeric, ignores a leading v, and pads missing parts', () => {
    expect(compareVersions('1.9', '1.16')).toBeLessThan(0);
    expect(compareVersions('v3.19.0', '3.19')).toBe(0);
    expect(compareVersions('1.16.1', '1.16')).toBeGreaterThan(0);
  });

  test('a gap fixed in a release applies only to an older version given explicitly', () => {
    const cilium = cniSupport(Cni.CILIUM);
    const endPort = (version?: string) => activeGaps(cilium, version).filter((g) => g.feature === PolicyFeature.END_PORT);
    expect(endPort()).toEqual([]);
    expect(endPort('1.16.0')).toEqual([]);
    expect(endPort('1.15.7')).toHaveLength(1);
  });

  test('a gap a release brought (a feature removed) applies from that release on, and to a current release', () => {
    const calico = cniSupport(Cni.CALICO);
    const admin = (version?: string) => activeGaps(calico, version)
      .filter((g) => g.feature === PolicyFeature.ADMIN_NETWORK_POLICY).map((g) => g.since ?? g.fixedIn);
    expect(admin()).toEqual(['3.32.0']);
    expect(admin('3.32.1')).toEqual(['3.32.0']);
    expect(admin('3.31.9')).toEqual([]);
    expect(admin('3.28')).toEqual(['3.29.0']);
  });

  test('a limit gap says its limit; every cluster-scoped kind a source covers has a gap or is read', () => {
    const ovn = cniSupport(Cni.OVN_KUBERNETES).gaps.find((g) => g.feature === PolicyFeature.ADMIN_NETWORK_POLICY_PRIORITY);
    expect(ovn?.limit).toBe(99);
    expect(cniSupport(Cni.KUBE_NETWORK_POLICIES).gaps).toEqual([]);
    const kinds = [PolicyFeature.CLUSTER_NETWORK_POLICY, PolicyFeature.ADMIN_NETWORK_POLICY, PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY];
    for (const cni of [Cni.CILIUM, Cni.AWS_VPC_CNI]) {
      expect({ cni, kinds: kinds.filter((k) => cniSupport(cni).gaps.some((g) => g.feature === k)) }).toEqual({ cni, kinds });
    }
  });

  test('isCniVersion accepts numbers and dots, optionally after v', () => {
    expect(['1', '1.15', 'v3.18.2'].map(isCniVersion)).toEqual([true, true, true]);
    expect(['', 'latest', '1.x', '1..2'].map(isCniVersion)).toEqual([false, false, false, false]);
  });
});
