// How the leases group hands out pollers: round robin, like kafkajs's own assigner, but only to
// members that run pollers (`connectors.polling`). Each member says so in its join metadata, so an
// instance with polling off still counts as a member (its share of the budgets) and never holds
// a poller it would not run on schedule. When no member polls on schedule, every member may lead:
// nothing polls by itself, and an operator's "poll now" still has a leader to run it.
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

const name = 'PenghubungLeases';
const version = 1;

interface LeaseMetadata {
  polls: boolean;
}

export function leaseAssigner(polls: boolean): PartitionAssigner {
  return ({ cluster }) => ({
    name,
    version,
    async assign({ members, topics }) {
      const scheduled = members.filter((member) => readMetadata(member.memberMetadata).polls);
      const pollers = (scheduled.length > 0 ? scheduled : members).map((member) => member.memberId).sort();
      const assignment = new Map<string, Record<string, number[]>>(members.map((member) => [member.memberId, {}]));
      let next = 0;
      for (const topic of topics) {
        for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
          const owner = assignment.get(pollers[next++ % pollers.length]!)!;
          (owner[topic] ??= []).push(partitionId);
        }
      }
      return [...assignment].map(([memberId, partitions]) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version, assignment: partitions, userData: Buffer.alloc(0) }) }));
    },
    protocol({ topics }) {
      const metadata: LeaseMetadata = { polls };
      return { name, metadata: AssignerProtocol.MemberMetadata.encode({ version, topics, userData: Buffer.from(JSON.stringify(metadata)) }) };
    },
  });
}

/** A member that says nothing readable is not given pollers (an older or foreign client). */
function readMetadata(buffer: Buffer): LeaseMetadata {
  try {
    const parsed = JSON.parse(AssignerProtocol.MemberMetadata.decode(buffer)?.userData.toString('utf8') ?? '') as Partial<LeaseMetadata>;
    return { polls: parsed.polls === true };
  } catch {
    return { polls: false };
  }
}
