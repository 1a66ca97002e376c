import { AssignerProtocol } from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';

/**
 * A kafkajs partition assigner that gives every partition of every topic to
 * one member of the group and nothing to the others (`SubscribeOptions.exclusive`):
 * for consumers that need all partitions at once, such as a date closer that
 * must see every bar of a date. The other members are hot standbys.
 *
 * Ownership sticks: each member says in its metadata whether it owns the
 * partitions now (`owns()`), and the assignment keeps that member, so a new
 * instance joining does not move the work (and its in-memory state) around.
 * Without a current owner (first join, owner gone) the lowest member id wins,
 * so every leader computes the same answer.
 */
export function exclusiveAssigner(owns: () => boolean): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'AlphafeedExclusiveAssigner',
    version: 1,
    async assign({ members, topics }) {
      const ids = members.map((m) => m.memberId).sort();
      const owner =
        members.find(
          (m) => AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData?.toString() === 'owner',
        )?.memberId ?? ids[0];
      const everything: Record<string, number[]> = {};
      for (const topic of topics)
        everything[topic] = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
      return ids.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: memberId === owner ? everything : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: 'AlphafeedExclusiveAssigner',
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.from(owns() ? 'owner' : 'standby'),
        }),
      };
    },
  });
}
