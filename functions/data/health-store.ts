/**
 * The health check's probes of the two stores. DynamoDB is probed with DescribeTable on the
 * connections table, which the function is granted (its `needs.tables` in routes.ts); ListTables
 * would need dynamodb:ListTables on `*`.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient, tableName } from './dynamo.ts';
import { database } from './mongo.ts';

export const pingMongo = async (): Promise<void> => {
  await (await database()).command({ ping: 1 });
};

export const pingDynamo = async (): Promise<void> => {
  await dynamoClient().send(new DescribeTableCommand({ TableName: tableName('connections') }));
};
