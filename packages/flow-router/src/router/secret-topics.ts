import { allContracts } from '@iotgw/contracts';

const SECRET_CONTRACTS = allContracts.filter((c) => c.carriesSecrets);

/**
 * The contract a topic belongs to when that contract carries secrets (provisioning lists with AES
 * keys, gateway commands), else null. Such messages are never routed into flows or dead letters,
 * even under a filter such as `v2/#`. Pure.
 */
export function secretContractOf(topic: string): string | null {
  for (const contract of SECRET_CONTRACTS) if (contract.match(topic) !== null) return contract.name;
  return null;
}
