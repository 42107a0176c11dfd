import { probe, type ComponentName } from '@portal/deploy/local/components';
import { stackEnv } from '@portal/testing';

/** Fails the suite at once, naming the component, its URL and how to start it, when it is down. */
export async function requireComponent(name: ComponentName): Promise<void> {
  await probe(name, stackEnv(), 3_000);
}
