/** The two naming traditions of the training data set: openIMIS runs in Nepal and in Tanzania. */
export type Culture = 'nepali' | 'tanzanian';

/** A whitespace-separated list: long name lists stay readable. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

export interface NameList {
  surnames: readonly string[];
  male: readonly string[];
  female: readonly string[];
  /** Second given names, as in "Ram Bahadur" or "Sita Kumari"; Tanzanian names have none. */
  maleMiddle: readonly string[];
  femaleMiddle: readonly string[];
}

/**
 * Romanised Nepali names. A few are written with diacritics (as some registers transliterate
 * them), so that accent-insensitive search has something to find: "thapa" finds "Thāpā".
 */
const nepali: NameList = {
  surnames: words(`
    Shrestha Sharma Adhikari Thapa Magar Gurung Tamang Rai Limbu Karki Khadka Bhandari Poudel Pokharel
    Ghimire Bhattarai Dahal Koirala Basnet Bista Chaudhary Yadav Shah Maharjan Lama Sherpa Acharya
    Neupane Regmi Subedi Rana Tharu Oli Joshi Pandey Bhusal Giri Mahato Sapkota Dhakal Thāpā Śarmā
    Adhikārī Bhaṭṭarāī Ācārya Koirālā
  `),
  male: words(`
    Ram Hari Krishna Shyam Bikash Suman Prakash Rajesh Sanjay Dipak Ramesh Gopal Bishnu Santosh Nabin
    Sagar Sunil Anil Binod Dinesh Kamal Mohan Narayan Prem Roshan Sujan Bibek Aayush Arjun Bhim Rām
    Kṛṣṇa Śyām Gōpāl Nārāyaṇ
  `),
  female: words(`
    Sita Gita Laxmi Sarita Sabina Anita Sunita Kamala Radha Parbati Maya Rita Sushma Bimala Manisha Puja
    Asmita Sangita Nirmala Shanti Srijana Prativa Rekha Samjhana Alisha Anjali Kabita Durga Sītā Gītā
    Lakṣmī Rādhā Pārvatī Durgā
  `),
  maleMiddle: words(`Bahadur Prasad Kumar Raj Man Lal`),
  femaleMiddle: words(`Kumari Devi Maya`),
};

/** Tanzanian names, Swahili and baptismal; a few baptismal names carry French accents. */
const tanzanian: NameList = {
  surnames: words(`
    Mwakalinga Mushi Kimaro Msuya Mrema Massawe Lyimo Swai Mollel Laizer Mwakyusa Mwasomola Mbwambo
    Shirima Temba Kweka Ngowi Urio Minja Kisanga Mapunda Komba Ndunguru Haule Mbunda Mwita Chacha Marwa
    Nyamhanga Nkya Makame Kombo Bakari Omari Athumani Ally Salim Juma Hassan Mohamed
  `),
  male: words(`
    Juma Baraka Amani Hamisi Saidi Bakari Omari Rashidi Abdallah Hassani Issa Musa Yusufu Daudi Petro
    Yohana Emmanuel Joseph Elia Godfrey Frank Jabiri Selemani Faraji Kassimu Idd Erasto Noël José
  `),
  female: words(`
    Neema Rehema Zawadi Amina Halima Fatuma Mwanaisha Zainabu Mariamu Upendo Imani Tumaini Grace Agnes
    Anna Esther Joyce Rose Happiness Witness Salma Asha Mwajuma Subira Furaha Pendo Mwanaidi Hadija
    Agnès Thérèse
  `),
  maleMiddle: [],
  femaleMiddle: [],
};

export const namesOf: Record<Culture, NameList> = { nepali, tanzanian };
