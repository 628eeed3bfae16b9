import { words, type Culture } from './names.ts';

interface PlaceNames {
  regions: readonly string[];
  districts: readonly string[];
  /** Settlement names are made of a stem and an ending: "Chisa" + "pani", "Ki" + "sanga". */
  stems: readonly string[];
  endings: readonly string[];
  /** What a ward is called: Nepal has municipalities (gaunpalika), Tanzania wards (kata). */
  wardSuffix: string;
  /** A health centre is a health post in Nepal. */
  healthCentre: string;
}

const placesOf: Record<Culture, PlaceNames> = {
  nepali: {
    regions: words(`Koshi Madhesh Bagmati Gandaki Lumbini Karnali Sudurpashchim`),
    districts: words(`
      Jhapa Ilam Morang Sunsari Dhankuta Terhathum Panchthar Taplejung Sankhuwasabha Bhojpur Khotang Udayapur
      Saptari Siraha Dhanusha Mahottari Sarlahi Rautahat Bara Parsa Kathmandu Lalitpur Bhaktapur Kavre
      Sindhupalchok Dolakha Ramechhap Sindhuli Makwanpur Chitwan Nuwakot Rasuwa Dhading Kaski Syangja
      Tanahun Gorkha Lamjung Parbat Baglung Myagdi Mustang Rupandehi Kapilvastu Palpa Gulmi Arghakhanchi
      Dang Banke Bardiya Pyuthan Rolpa Surkhet Jumla Dailekh Jajarkot Humla Kalikot Mugu Dolpa Kailali
      Kanchanpur Doti Achham Bajhang Bajura Baitadi Dadeldhura Darchula
    `),
    stems: words(
      `Chisa Siddhi Laxmi Shanti Bhim Kali Sundar Hari Ganesh Deu Bhairab Jana Nava Surya Mahadev Bhume`,
    ),
    endings: words(`pur pani nagar gaun tar danda kot besi thok chaur`),
    wardSuffix: 'Gaunpalika',
    healthCentre: 'Health Post',
  },
  tanzanian: {
    regions: words(`Arusha Dodoma Kilimanjaro Mwanza Mbeya Tanga Morogoro Iringa Kagera Mara Singida Tabora`),
    districts: words(`
      Meru Karatu Monduli Longido Ngorongoro Moshi Hai Rombo Mwanga Same Siha Kondoa Mpwapwa Bahi Chamwino
      Kongwa Chemba Ilemela Nyamagana Magu Kwimba Sengerema Ukerewe Misungwi Kyela Rungwe Mbarali Chunya
      Mbozi Korogwe Lushoto Muheza Pangani Handeni Kilindi Mkinga Kilosa Mvomero Ulanga Kilombero Gairo
      Mufindi Kilolo Makete Karagwe Ngara Biharamulo Muleba Missenyi Tarime Serengeti Bunda Musoma Rorya
      Manyoni Ikungi Iramba Mkalama Nzega Igunga Uyui Urambo Sikonge Kaliua
    `),
    stems: words(`Ki Ma Mwa Nya Bu Ka Lu Ru Mbu Msi Ngu Itu Uru Mla Kwa Mto`),
    endings: words(`mbwe sanga kuyu goni tumbo wanga lindi shamba temi kondo`),
    wardSuffix: 'Kata',
    healthCentre: 'Health Centre',
  },
};

const ROMAN = words(`I II III IV V VI VII VIII IX X`);

/** The culture of the i-th region: the two alternate, so every data set has both kinds of name. */
export function cultureOfRegion(index: number): Culture {
  return index % 2 === 0 ? 'nepali' : 'tanzanian';
}

/** The n-th name of a list, numbered once the list is used up ("Jhapa II"). */
function nth(list: readonly string[], n: number): string {
  const name = list[n % list.length]!;
  const round = Math.floor(n / list.length);
  return round === 0 ? name : `${name} ${ROMAN[round] ?? round + 1}`;
}

export function regionName(culture: Culture, n: number): string {
  return nth(placesOf[culture].regions, n);
}

export function districtName(culture: Culture, n: number): string {
  return nth(placesOf[culture].districts, n);
}

/** Settlement names repeat across districts, as they do on real maps; codes tell them apart. */
export function settlementName(culture: Culture, n: number): string {
  const { stems, endings } = placesOf[culture];
  const stem = stems[n % stems.length]!;
  const ending = endings[Math.floor(n / stems.length) % endings.length]!;
  return `${stem}${ending}`;
}

export function wardName(culture: Culture, mainVillage: string): string {
  return `${mainVillage} ${placesOf[culture].wardSuffix}`;
}

export function healthCentreKind(culture: Culture): string {
  return placesOf[culture].healthCentre;
}
