import { Client, createRequest, fetchExchange } from '@urql/core';
import { parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import * as ca2026_01 from '../../generated/customer-account/2026-01/entry.js';
import * as ca2026_04 from '../../generated/customer-account/2026-04/entry.js';
import * as sf2026_04 from '../../generated/2026-04/entry.js';
import { signalOf } from '../../src/index.js';
import {
  customerAccountBinding,
  customerAccountDocumentMismatch,
  customerAccountDocumentVersion,
} from '../../src/runtime/customerAccountDocuments.js';
import { documentVersion } from '../../src/runtime/documents.js';

const keyOf = (document: object) => (document as { __key?: number }).__key;

describe('Customer Account documents', () => {
  it('are bound to customer-account/<version>, a key space of their own', () => {
    expect(documentVersion(ca2026_04.CustomerDocument)).toBe('customer-account/2026-04');
    expect(customerAccountBinding('2026-04')).toBe('customer-account/2026-04');
    expect(customerAccountDocumentVersion(ca2026_04.CustomerDocument)).toBe('2026-04');
    expect(customerAccountDocumentVersion(ca2026_01.CustomerOrdersDocument)).toBe('2026-01');
    expect(customerAccountDocumentVersion(sf2026_04.CustomerDocument)).toBeUndefined();
    expect(customerAccountDocumentVersion(parse('query Shop { shop { name } }'))).toBeUndefined();
  });

  it('keep a distinct urql key per version, and apart from any Storefront document, through createRequest', () => {
    const keys = [ca2026_01.CustomerDocument, ca2026_04.CustomerDocument, sf2026_04.CustomerDocument].map(keyOf);
    expect(new Set(keys).size).toBe(3);
    expect(createRequest(ca2026_04.CustomerDocument, {}).query).toHaveProperty(
      '__key',
      keyOf(ca2026_04.CustomerDocument),
    );
    expect(documentVersion(createRequest(ca2026_01.CustomerDocument, {}).query)).toBe('customer-account/2026-01');
  });
});

describe('customerAccountDocumentMismatch (the guard a Customer Account exchange runs)', () => {
  it('lets its own version through, and a document no codegen bound', () => {
    expect(customerAccountDocumentMismatch(ca2026_04.CustomerDocument, '2026-04')).toBeUndefined();
    expect(customerAccountDocumentMismatch(parse('query { customer { id } }'), '2026-04')).toBeUndefined();
  });

  it('refuses a Storefront document, naming its version, and another Customer Account version', () => {
    expect(customerAccountDocumentMismatch(sf2026_04.CustomerDocument, '2026-04')).toBe('2026-04');
    expect(customerAccountDocumentMismatch(sf2026_04.CustomerAccessTokenRenewDocument, '2026-04')).toBe('2026-04');
    expect(customerAccountDocumentMismatch(ca2026_01.CustomerDocument, '2026-04')).toBe('customer-account/2026-01');
  });
});

describe('a Storefront exchange', () => {
  it('refuses a Customer Account document without sending it, naming the entry point it came from', async () => {
    const fetch = vi.fn();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = new Client({
      url: 'https://shop.example.com',
      exchanges: [
        sf2026_04.storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken: 'public', fetch }),
        fetchExchange,
      ],
    });
    const result = await client.query(ca2026_04.CustomerDocument, {}).toPromise();
    expect(fetch).not.toHaveBeenCalled();
    expect(signalOf(result)).toEqual({
      kind: 'wrong-version-document',
      operationName: 'Customer',
      apiVersion: '2026-04',
      documentVersion: 'customer-account/2026-04',
    });
    expect(error.mock.calls.flat().join('\n')).toContain('storefront-customer-session/customer-account/2026-04');
    error.mockRestore();
  });
});
