// SSRF guard for webhook targets. A target is checked when the subscription is created (its
// URL and every address its name resolves to) and again at every delivery, where the agent's
// `lookup` admits only permitted addresses: the socket connects to the address that was checked,
// so a name that resolves elsewhere between check and connect (DNS rebinding) gains nothing.
// Loopback, link-local, private and other special ranges are refused unless
// `webhooks.allowedNetworks` names them (OPD apps live on the intranet); metadata endpoints,
// unspecified, multicast and broadcast addresses are refused always.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { HubError } from '../errors/catalogue.js';

export interface TargetPolicy {
  /** CIDRs a target may be in although they are private, link-local or loopback. */
  allowedNetworks: string[];
  /** Tests and local development only: receivers on this machine. */
  allowLoopback: boolean;
}

/** A delivery or subscription target the guard refused; not worth retrying. */
export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefused';
  }
}

/** Cloud metadata services, by name and by address; never a webhook target, allowlisted or not. */
const metadataNames = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);
const metadataAddresses = new Set(['169.254.169.254', '169.254.170.2', '169.254.169.253', '100.100.100.200', 'fd00:ec2::254', 'fd00:ec2::23']);
const neverRanges = new Set(['unspecified', 'multicast', 'broadcast']);

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export class TargetGuard {
  private readonly allowed: [Address, number][];

  constructor(private readonly policy: TargetPolicy) {
    this.allowed = policy.allowedNetworks.map((cidr) => {
      try {
        return ipaddr.parseCIDR(cidr);
      } catch {
        throw new Error(`webhooks.allowedNetworks: ${cidr} is not a CIDR (e.g. 10.20.0.0/16)`);
      }
    });
  }

  /** At creation: the URL, and every address its host resolves to now. Throws a 422 problem. */
  async assertTarget(url: string): Promise<void> {
    try {
      const host = this.hostOf(url);
      if (isIP(host)) return;
      const addresses = await new Promise<LookupAddress[]>((ok, fail) => dnsLookup(host, { all: true, verbatim: true }, (error, found) => (error ? fail(new TargetRefused(`${host} does not resolve (${error.code ?? error.message})`)) : ok(found))));
      for (const { address } of addresses) this.assertAddress(address, host);
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      throw new HubError('webhook-target-refused', `url: ${error.message}`, { errors: [{ pointer: '/url', message: error.message }] });
    }
  }

  /**
   * At delivery, before connecting: the scheme, the host name and a literal address (Node does
   * not call `lookup` for those). Names are checked by `lookup` when the socket connects.
   */
  hostOf(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TargetRefused('not a URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TargetRefused(`${parsed.protocol} is not http or https`);
    if (parsed.username || parsed.password) throw new TargetRefused('credentials in the URL are refused; the hub signs every delivery');
    // WHATWG URL parsing has already turned 0x7f.1 and 2130706433 into 127.0.0.1.
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
    if (metadataNames.has(host)) throw new TargetRefused(`${host} is a cloud metadata service`);
    if (isIP(host)) this.assertAddress(host, host);
    return host;
  }

  /** For the delivery agents: resolves like dns.lookup and admits only permitted addresses. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const all = (options as LookupAllOptions).all === true;
    dnsLookup(hostname, { ...(options as LookupOneOptions), all: true }, (error, addresses) => {
      if (error) return callback(error, all ? [] : '', undefined);
      try {
        for (const { address } of addresses) this.assertAddress(address, hostname);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, all ? [] : '', undefined);
      }
      if (all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      callback(null, first!.address, first!.family);
    });
  };

  private assertAddress(text: string, host: string): void {
    const address = ipaddr.process(text);
    const normal = address.toNormalizedString();
    // A name's addresses are not told back: the answer would map the intranet for the caller.
    const is = host === text ? `${text} is` : `${host} resolves to`;
    if (metadataAddresses.has(normal) || metadataAddresses.has(address.toString())) throw new TargetRefused(`${is} a cloud metadata address`);
    const range = address.range();
    if (neverRanges.has(range)) throw new TargetRefused(`${is} a ${range} address`);
    if (this.allowed.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits))) return;
    if (range === 'loopback' && this.policy.allowLoopback) return;
    if (range !== 'unicast') throw new TargetRefused(`${is} a ${range} address outside webhooks.allowedNetworks`);
  }
}
