// The SIAK sandbox residents a query benchmark rotates through: the simulator's active ones that
// the hub answers 200 for (the others are refusals by design and would measure the refusal).
import { testKeys } from '../../test/support/auth.js';
import { log } from './report.js';

export async function servedNiks(simulatorUrl: string, hubUrl: string): Promise<string[]> {
  const residents = (await (await fetch(`${simulatorUrl}/_simulator/residents`)).json()) as { nik: string; status: string }[];
  const niks: string[] = [];
  for (const { nik, status } of residents) {
    if (status !== 'aktif') continue;
    const answer = await fetch(`${hubUrl}/v1/penduduk/${nik}`, { headers: { 'x-api-key': testKeys.operator } });
    if (answer.status === 200) niks.push(nik);
    else log(`skipping a resident: the hub answers ${answer.status}`);
  }
  if (niks.length === 0) throw new Error(`the hub at ${hubUrl} answered no resident with 200`);
  return niks;
}
