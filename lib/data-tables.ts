/** DynamoDB tables from the shared definitions in functions/tables.ts (the local runtime creates the same ones). */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_LIST, type KeyDef, type TableKey } from '../functions/tables.ts';
import type { Stage } from './settings.ts';

const attribute = (key: KeyDef): Attribute => ({ name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

export class DataTables extends Construct {
  readonly tables: ReadonlyMap<TableKey, TableV2>;

  constructor(scope: Construct, id: string, props: { stage: Stage }) {
    super(scope, id);
    const prod = props.stage === 'prod';
    const tables = new Map<TableKey, TableV2>();
    for (const def of TABLE_LIST) {
      // Logical ids from the table key; physical names are generated, so two restaurants never collide.
      const table = new TableV2(this, def.key[0].toUpperCase() + def.key.slice(1), {
        partitionKey: attribute(def.partitionKey),
        sortKey: def.sortKey ? attribute(def.sortKey) : undefined,
        globalSecondaryIndexes: def.globalIndexes.map((index) => ({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
        })),
        billing: Billing.onDemand(),
        timeToLiveAttribute: def.expiryAttribute,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: prod,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        encryption: TableEncryptionV2.awsManagedKey(),
      });
      tables.set(def.key, table);
    }
    this.tables = tables;
  }

  table(key: TableKey): TableV2 {
    const table = this.tables.get(key);
    if (!table) throw new Error(`No DynamoDB table "${key}" in functions/tables.ts`);
    return table;
  }
}
