import type { z } from 'zod';
import type { ErrorCode } from './error-tables.ts';
import type { HttpBinding } from './http.ts';

/** An action's published shape: what it accepts and what it answers. */
export interface ActionContract<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  description: string;
  /**
   * The stable codes the action itself may answer (validation, cursor and transport errors are
   * everyone's and added by the gateway). The OpenAPI document lists them per status.
   */
  errors?: readonly ErrorCode[];
  /** Present when the gateway exposes the action over HTTP. */
  http?: HttpBinding;
}

/** A durable event's published shape; a breaking change adds a new version beside the old one. */
export interface EventContract<D extends z.ZodType = z.ZodType> {
  version: number;
  data: D;
  description: string;
}

export function defineAction<P extends z.ZodType, R extends z.ZodType>(
  contract: ActionContract<P, R>,
): ActionContract<P, R> {
  return contract;
}

export function defineEvent<D extends z.ZodType>(contract: EventContract<D>): EventContract<D> {
  return contract;
}
