import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allContracts } from '@iotgw/contracts';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/topics.md', import.meta.url)), 'utf8');
const sections = doc.split(/^## /m).slice(1);

function field(section: string, label: string): string | undefined {
  return new RegExp(`^${label}: \`([^\`]+)\``, 'm').exec(section)?.[1];
}

describe('docs/topics.md', () => {
  it('documents every contract exactly once', () => {
    const names = sections.map((s) => s.split('\n')[0]?.trim());
    expect(names.sort()).toEqual(allContracts.map((c) => c.name).sort());
  });

  for (const section of sections) {
    const name = section.split('\n')[0]?.trim() ?? '';
    it(`${name}: template, filter, example topic and payload agree with the code`, () => {
      const contract = allContracts.find((c) => c.name === name);
      expect(contract, `no contract named ${name}`).toBeDefined();
      if (!contract) return;
      expect(field(section, 'Topic template')).toBe(contract.template);
      expect(field(section, 'Filter')).toBe(contract.filter);
      const topic = field(section, 'Example topic');
      expect(topic).toBeDefined();
      const params = contract.match(topic as string);
      expect(params, `example topic ${topic} does not match ${contract.template}`).not.toBeNull();
      expect(contract.build(params as never)).toBe(topic);
      const block = /```(json|text)\n([\s\S]*?)\n```/.exec(section);
      expect(block?.[1]).toBe(contract.encoding);
      const parsed = contract.parse(block?.[2] ?? '');
      expect(parsed.ok ? 'ok' : parsed.error.message).toBe('ok');
    });
  }
});
