/** How many locations of each level, per parent, a data set of a given size gets. */
export interface TreeShape {
  regions: number;
  districtsPerRegion: number;
  wardsPerDistrict: number;
  villagesPerWard: number;
}

const REFERENCE_INSUREES = 10_000;

/**
 * 5 regions × 4 districts × 5 wards × 10 villages at 10 000 insurees; every level grows with the
 * size, villages fastest, so that a larger scheme has both more and fuller villages
 * (1 000 000 insurees: 8 × 8 × 10 × 63, some 25 insurees a village).
 */
export function treeShape(insurees: number): TreeShape {
  const scale = Math.max(insurees, 1) / REFERENCE_INSUREES;
  const level = (base: number, exponent: number, max: number): number =>
    Math.min(max, Math.max(1, Math.round(base * scale ** exponent)));
  return {
    regions: level(5, 0.1, 14),
    districtsPerRegion: level(4, 0.15, 20),
    wardsPerDistrict: level(5, 0.15, 30),
    villagesPerWard: level(10, 0.4, 200),
  };
}
