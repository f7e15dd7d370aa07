import { Command } from 'commander';
test('probe', () => { expect(new Command('x').name()).toBe('x'); });
