import type { SigningKeyStore, StoredSigningKey } from '../../delegation/types.ts';
import { AppError } from '../../protocol/errors.ts';
import { signingKeyFromRow, signingKeyToRow } from '../rows/delegation-rows.ts';
import type { PortableContext } from './portable-context.ts';

/** `SigningKeyStore` for both adapters: keys are read at start-up and on rotation only. */
export class PortableSigningKeyStore implements SigningKeyStore {
  constructor(private readonly context: PortableContext) {}

  async list(): Promise<StoredSigningKey[]> {
    const rows = await this.context.kysely
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy(this.context.byteOrder('kid'))
      .execute();
    return rows.map(signingKeyFromRow);
  }

  async insert(key: StoredSigningKey): Promise<void> {
    await this.context.kysely.insertInto('signing_keys').values(signingKeyToRow(key)).execute();
  }

  async retire(kid: string, at: number): Promise<void> {
    // The first retirement time stands: retiring again must not extend the key's verify window.
    const result = await this.context.kysely
      .updateTable('signing_keys')
      .set((eb) => ({ retired_at: eb.fn.coalesce('retired_at', eb.val(at)) }))
      .where('kid', '=', kid)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError('not_found', 'Signing key not found.', { kid });
  }
}
