/** The DynamoDB document client, created once per container. Locally the endpoint points at dynalite. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../platform/config.ts';
import type { TableKey } from '../tables.ts';

let documentClient: DynamoDBDocumentClient | undefined;
let rawClient: DynamoDBClient | undefined;

export function dynamoClient(): DynamoDBClient {
  rawClient ??= new DynamoDBClient({
    region: config().region,
    endpoint: config().dynamo.endpoint,
    maxAttempts: 3,
  });
  return rawClient;
}

export function dynamo(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export const tableName = (key: TableKey): string => config().dynamo.tables[key];

export const nowEpochSeconds = (): number => Math.floor(Date.now() / 1000);
