import { runSimulation } from './simulation-run';

describe('runSimulation per-step hook', () => {
  it('sees every step in order and leaves the report unchanged', () => {
    const params = { seed: 3, gridSize: 16, steps: 25, turingEnabled: true, spikeProbability: 0.5 };
    const steps: number[] = [];
    let lastEvents = -1;
    const withHook = runSimulation(params, (step, field, events) => {
      steps.push(step);
      expect(field).toHaveLength(256);
      expect(events).toBeGreaterThanOrEqual(lastEvents);
      lastEvents = events;
    });
    expect(steps).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(withHook).toEqual(runSimulation(params));
    expect(lastEvents).toBe(withHook.growthEvents);
  });
});
