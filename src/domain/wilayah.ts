// Region codes (kode wilayah, Kemendagri) as they appear at the start of NIK and NO_KK.

/**
 * Province codes (kode provinsi) of Kepmendagri 100.1.1-6117/2022 and later updates:
 * 38 provinces, including Kalimantan Utara (65) and the Papua provinces formed in 2022 (93-96).
 */
export const PROVINSI: ReadonlyMap<string, string> = new Map([
  ['11', 'Aceh'],
  ['12', 'Sumatera Utara'],
  ['13', 'Sumatera Barat'],
  ['14', 'Riau'],
  ['15', 'Jambi'],
  ['16', 'Sumatera Selatan'],
  ['17', 'Bengkulu'],
  ['18', 'Lampung'],
  ['19', 'Kepulauan Bangka Belitung'],
  ['21', 'Kepulauan Riau'],
  ['31', 'DKI Jakarta'],
  ['32', 'Jawa Barat'],
  ['33', 'Jawa Tengah'],
  ['34', 'Daerah Istimewa Yogyakarta'],
  ['35', 'Jawa Timur'],
  ['36', 'Banten'],
  ['51', 'Bali'],
  ['52', 'Nusa Tenggara Barat'],
  ['53', 'Nusa Tenggara Timur'],
  ['61', 'Kalimantan Barat'],
  ['62', 'Kalimantan Tengah'],
  ['63', 'Kalimantan Selatan'],
  ['64', 'Kalimantan Timur'],
  ['65', 'Kalimantan Utara'],
  ['71', 'Sulawesi Utara'],
  ['72', 'Sulawesi Tengah'],
  ['73', 'Sulawesi Selatan'],
  ['74', 'Sulawesi Tenggara'],
  ['75', 'Gorontalo'],
  ['76', 'Sulawesi Barat'],
  ['81', 'Maluku'],
  ['82', 'Maluku Utara'],
  ['91', 'Papua'],
  ['92', 'Papua Barat'],
  ['93', 'Papua Selatan'],
  ['94', 'Papua Tengah'],
  ['95', 'Papua Pegunungan'],
  ['96', 'Papua Barat Daya'],
]);

/** Kabupaten Pesawaran, Lampung: the regency this hub serves. */
export const KODE_PESAWARAN = '18.09';

/**
 * Checks the region prefix PP RR SS of a 16-digit identifier: a real province code,
 * a regency/city code 01-99 and a district code 01-99. Returns null when valid, else a reason.
 */
export function checkRegionPrefix(digits: string): string | null {
  const provinsi = digits.slice(0, 2);
  if (!PROVINSI.has(provinsi)) return `province code ${provinsi} does not exist`;
  if (digits.slice(2, 4) === '00') return 'regency code 00 is not valid';
  if (digits.slice(4, 6) === '00') return 'district code 00 is not valid';
  return null;
}
