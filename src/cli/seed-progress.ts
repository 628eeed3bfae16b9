import { Presets, SingleBar } from 'cli-progress';
import type { SeedProgress } from '../seed/seed-training-data.ts';

/** A progress bar on stderr for seeding, one stage after another. */
export function seedProgressBar(): { onProgress: (progress: SeedProgress) => void; stop: () => void } {
  const bar = new SingleBar(
    { format: '{stage} |{bar}| {value}/{total} {rate}/s, eta {eta_formatted} {detail}', etaBuffer: 50 },
    Presets.shades_classic,
  );
  let stage: SeedProgress['stage'] | undefined;
  let started = 0;
  return {
    onProgress(progress) {
      if (progress.stage !== stage) {
        if (stage) {
          bar.stop();
        }
        stage = progress.stage;
        started = performance.now();
        bar.start(progress.total, 0, { stage: stage.padEnd(10), rate: 0, detail: '' });
      }
      const seconds = (performance.now() - started) / 1000;
      bar.update(progress.done, {
        rate: seconds > 0 ? Math.round(progress.done / seconds) : 0,
        detail: progress.detail ?? '',
      });
    },
    stop: () => bar.stop(),
  };
}
