import type { EventSchemaName } from './events';

/**
 * Topic names. Versioned in the name (`.v1`): an incompatible schema change
 * gets a new topic, compatible ones keep it. Dead letters go to `<topic>.dlq`
 * and carry DeadLetter records wrapping the original bytes.
 */
export const TOPICS = {
  bars: 'bars.daily.v1',
  endOfDay: 'bars.eod.v1',
  alphas: 'alphas.daily.v1',
  models: 'models.v1',
  targets: 'targets.daily.v1',
  barsDlq: 'bars.daily.v1.dlq',
  endOfDayDlq: 'bars.eod.v1.dlq',
  alphasDlq: 'alphas.daily.v1.dlq',
  modelsDlq: 'models.v1.dlq',
  targetsDlq: 'targets.daily.v1.dlq',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** The dead-letter topic of a topic. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Which schema each topic carries. */
export const TOPIC_SCHEMAS: Readonly<Record<TopicName, EventSchemaName>> = {
  [TOPICS.bars]: 'Bar',
  [TOPICS.endOfDay]: 'EndOfDay',
  [TOPICS.alphas]: 'Alpha',
  [TOPICS.models]: 'ModelTrained',
  [TOPICS.targets]: 'TargetWeights',
  [TOPICS.barsDlq]: 'DeadLetter',
  [TOPICS.endOfDayDlq]: 'DeadLetter',
  [TOPICS.alphasDlq]: 'DeadLetter',
  [TOPICS.modelsDlq]: 'DeadLetter',
  [TOPICS.targetsDlq]: 'DeadLetter',
};
