import type { MedicalItemInput } from '../domain/medical/medical-item-input.ts';
import type { MedicalServiceInput } from '../domain/medical/medical-service-input.ts';

/**
 * A training formulary and service list of the kind district schemes publish: common essential
 * medicines and consumables, and the services a dispensary, health centre or hospital claims.
 * Prices are in the scheme's currency (Tanzanian shillings in spirit).
 */
export const trainingItems: MedicalItemInput[] = [
  ['PAR500', 'Paracetamol 500 mg tablet', 'D', '10 tablets', '500.00', 30],
  ['AMX250', 'Amoxicillin 250 mg capsule', 'D', '21 capsules', '1500.00', 42],
  ['AMX125S', 'Amoxicillin 125 mg/5 ml suspension', 'D', '100 ml bottle', '2500.00', 2],
  ['ALU20', 'Artemether/lumefantrine 20/120 mg tablet', 'D', '24 tablets', '3000.00', 24],
  ['ORS', 'Oral rehydration salts sachet', 'D', '1 sachet', '300.00', 10],
  ['ZNC20', 'Zinc sulphate 20 mg dispersible tablet', 'D', '10 tablets', '600.00', 10],
  ['MTZ200', 'Metronidazole 200 mg tablet', 'D', '21 tablets', '900.00', 42],
  ['CTX480', 'Cotrimoxazole 480 mg tablet', 'D', '10 tablets', '700.00', 40],
  ['IBU200', 'Ibuprofen 200 mg tablet', 'D', '10 tablets', '800.00', 30],
  ['FEF', 'Ferrous sulphate + folic acid tablet', 'D', '30 tablets', '1000.00', 90],
  ['OXY10', 'Oxytocin 10 IU injection', 'D', '1 ampoule', '1200.00', 3],
  ['CEF1G', 'Ceftriaxone 1 g injection', 'D', '1 vial', '2500.00', 14],
  ['DXT5', 'Dextrose 5 % infusion', 'D', '500 ml', '2000.00', 6],
  ['NS09', 'Sodium chloride 0.9 % infusion', 'D', '500 ml', '2000.00', 6],
  ['MBZ500', 'Mebendazole 500 mg tablet', 'D', '1 tablet', '400.00', 1],
  ['GLOVE', 'Examination gloves', 'M', '1 pair', '200.00', 20],
  ['SYR5', 'Syringe 5 ml with needle', 'M', '1 piece', '150.00', 20],
  ['CANN', 'IV cannula 20G', 'M', '1 piece', '800.00', 4],
  ['GAUZE', 'Gauze roll', 'M', '1 roll', '1500.00', 5],
  ['RDTMAL', 'Malaria rapid diagnostic test', 'M', '1 test', '1000.00', 2],
].map(([code, name, type, pack, price, maximumQuantity]) => ({
  code: code as string,
  name: name as string,
  type: type as 'D' | 'M',
  package: pack as string,
  price: price as string,
  maximumQuantity: maximumQuantity as number,
}));

type ServiceRow = [
  code: string,
  name: string,
  type: 'P' | 'C',
  level: 'S' | 'V' | 'D' | 'H',
  category: 'S' | 'D' | 'A' | 'H' | 'C' | 'O' | 'V',
  price: string,
  careType: 'I' | 'O' | 'B',
  frequencyDays?: number,
  patientCategory?: number,
];

export const trainingServices: MedicalServiceInput[] = (
  [
    ['OPD1', 'Outpatient consultation', 'C', 'V', 'C', '3000.00', 'O'],
    ['OPD2', 'Follow-up consultation', 'C', 'V', 'V', '1500.00', 'O'],
    ['SPEC', 'Specialist consultation', 'C', 'V', 'C', '10000.00', 'O'],
    ['ANC', 'Antenatal care visit', 'P', 'V', 'A', '2000.00', 'O', 28, 2 | 4],
    ['PNC', 'Postnatal care visit', 'P', 'V', 'V', '2000.00', 'O', 7, 2 | 4],
    ['DELN', 'Normal delivery', 'C', 'H', 'D', '40000.00', 'I', 180, 2 | 4],
    ['DELC', 'Caesarean section', 'C', 'H', 'S', '250000.00', 'I', 180, 2 | 4],
    ['ADM', 'Admission, per day', 'C', 'D', 'H', '15000.00', 'I'],
    ['MINOR', 'Minor surgery', 'C', 'S', 'S', '30000.00', 'B'],
    ['MAJOR', 'Major surgery', 'C', 'H', 'S', '400000.00', 'I'],
    ['LABMAL', 'Malaria blood smear', 'C', 'S', 'O', '2000.00', 'B'],
    ['LABHB', 'Haemoglobin', 'C', 'S', 'O', '2000.00', 'B'],
    ['LABURI', 'Urinalysis', 'C', 'S', 'O', '2500.00', 'B'],
    ['XRAY', 'Chest X-ray', 'C', 'S', 'O', '15000.00', 'B'],
    ['USS', 'Obstetric ultrasound', 'C', 'S', 'A', '20000.00', 'O', 30, 2 | 4],
    ['IMMUN', 'Child immunisation visit', 'P', 'V', 'V', '0.00', 'O', 28, 1 | 2 | 8],
    ['DENT', 'Tooth extraction', 'C', 'S', 'O', '8000.00', 'O'],
    ['DRESS', 'Wound dressing', 'C', 'S', 'O', '2000.00', 'B'],
  ] satisfies ServiceRow[]
).map(([code, name, type, level, category, price, careType, frequencyDays, patientCategory]) => ({
  code,
  name,
  type,
  level,
  category,
  price,
  careType,
  ...(frequencyDays === undefined ? {} : { frequencyDays }),
  ...(patientCategory === undefined ? {} : { patientCategory }),
}));

/** ICD-10 codes a primary-care scheme sees most (WHO ICD-10 titles, abridged). */
export const trainingDiagnoses: { code: string; name: string }[] = [
  ['A09', 'Diarrhoea and gastroenteritis of presumed infectious origin'],
  ['A01.0', 'Typhoid fever'],
  ['A15', 'Respiratory tuberculosis'],
  ['B20', 'HIV disease resulting in infectious and parasitic diseases'],
  ['B50', 'Plasmodium falciparum malaria'],
  ['B54', 'Unspecified malaria'],
  ['B82.9', 'Intestinal parasitism, unspecified'],
  ['D50', 'Iron deficiency anaemia'],
  ['E11', 'Type 2 diabetes mellitus'],
  ['E46', 'Unspecified protein-energy malnutrition'],
  ['H10', 'Conjunctivitis'],
  ['H66', 'Suppurative and unspecified otitis media'],
  ['I10', 'Essential (primary) hypertension'],
  ['J00', 'Acute nasopharyngitis (common cold)'],
  ['J06.9', 'Acute upper respiratory infection, unspecified'],
  ['J18', 'Pneumonia, organism unspecified'],
  ['J45', 'Asthma'],
  ['K02', 'Dental caries'],
  ['K29', 'Gastritis and duodenitis'],
  ['L02', 'Cutaneous abscess, furuncle and carbuncle'],
  ['L30.9', 'Dermatitis, unspecified'],
  ['M54.5', 'Low back pain'],
  ['N39.0', 'Urinary tract infection, site not specified'],
  ['O80', 'Single spontaneous delivery'],
  ['O82', 'Single delivery by caesarean section'],
  ['R50.9', 'Fever, unspecified'],
  ['S01', 'Open wound of head'],
  ['T14.1', 'Open wound of unspecified body region'],
  ['Z00.1', 'Routine child health examination'],
  ['Z34', 'Supervision of normal pregnancy'],
].map(([code, name]) => ({ code: code!, name: name! }));

/**
 * What each facility level may claim, by code, and at what price where its list overrules the
 * register: a dispensary neither admits nor operates, a health centre does not do specialist
 * care, a hospital does everything. Codes not listed under a level are not on its lists.
 */
export interface LevelPriceLists {
  items: 'all' | readonly string[];
  services: 'all' | readonly string[];
  /** Code → price on this level's list (the register's price elsewhere). */
  overrules: Readonly<Record<string, string>>;
}

export const priceListsByLevel: Record<'D' | 'C' | 'H', LevelPriceLists> = {
  D: {
    items: [
      'PAR500',
      'AMX250',
      'AMX125S',
      'ALU20',
      'ORS',
      'ZNC20',
      'MTZ200',
      'CTX480',
      'IBU200',
      'FEF',
      'MBZ500',
      'GLOVE',
      'SYR5',
      'GAUZE',
      'RDTMAL',
    ],
    services: ['OPD1', 'OPD2', 'ANC', 'PNC', 'IMMUN', 'LABMAL', 'LABHB', 'LABURI', 'DRESS'],
    overrules: { OPD1: '2500.00', PAR500: '400.00', RDTMAL: '800.00' },
  },
  C: {
    items: 'all',
    services: [
      'OPD1',
      'OPD2',
      'ANC',
      'PNC',
      'DELN',
      'ADM',
      'MINOR',
      'LABMAL',
      'LABHB',
      'LABURI',
      'USS',
      'IMMUN',
      'DENT',
      'DRESS',
    ],
    overrules: { OPD1: '2800.00', ADM: '12000.00', DELN: '35000.00' },
  },
  H: {
    items: 'all',
    services: 'all',
    overrules: { SPEC: '12000.00', ADM: '20000.00', DELN: '45000.00', AMX250: '1600.00', CEF1G: '2800.00' },
  },
};
