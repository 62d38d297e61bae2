/**
 * Local DynamoDB tables from the shared definitions: created when missing, left alone when they
 * match, and recreated when a data directory from an older checkout holds a table whose indexes
 * have changed since (dynalite cannot add an index to a table).
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, TABLE_LIST, type TableKey } from '../../functions/tables.ts';
import { createTableInput, createTables, startDynalite, waitUntilActive, type LocalDynamo } from '../../local/dynamo.ts';

const REGION = 'ap-south-1';
const names = Object.fromEntries(TABLE_LIST.map((table) => [table.key, `test-${table.key}`])) as Record<TableKey, string>;
let dynamo: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

const indexesOf = async (name: string) =>
  ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort();

describe('createTables', () => {
  it('brings a table with an outdated set of indexes up to date, and leaves matching tables and their items alone', async () => {
    // The connections table as an older checkout created it: without the byRestaurant index.
    const older = { ...TABLES.connections, globalIndexes: TABLES.connections.globalIndexes.filter((index) => index.indexName !== 'byRestaurant') };
    await client.send(new CreateTableCommand(createTableInput(older, names.connections)));
    await client.send(new CreateTableCommand(createTableInput(TABLES.idempotency, names.idempotency)));
    await waitUntilActive(client, names.connections);
    await waitUntilActive(client, names.idempotency);
    const kept = { id: { S: 'plato.placeOrder#kept' }, status: { S: 'COMPLETED' } };
    await client.send(new PutItemCommand({ TableName: names.idempotency, Item: kept }));

    expect(await createTables(dynamo.endpoint, REGION, names)).toEqual([names.connections]);
    expect(await indexesOf(names.connections)).toEqual(['byAudience', 'byRestaurant', 'bySession']);
    expect((await client.send(new GetItemCommand({ TableName: names.idempotency, Key: { id: kept.id } }))).Item).toEqual(kept);
    // Every table now matches: a second start recreates nothing.
    expect(await createTables(dynamo.endpoint, REGION, names)).toEqual([]);
  });
});
