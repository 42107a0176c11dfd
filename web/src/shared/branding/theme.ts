import { Notification, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
import type { Branding } from './branding.ts';

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function mix(hex: string, toward: number, amount: number): string {
  const mixed = channels(hex).map((channel) => Math.round(channel + (toward - channel) * amount));
  return `#${mixed.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}

/** Mantine's ten shades around the brand colour, which sits at shade 6 (buttons, links). */
export function shadesOf(hex: string): MantineColorsTuple {
  return [
    mix(hex, 255, 0.92),
    mix(hex, 255, 0.8),
    mix(hex, 255, 0.64),
    mix(hex, 255, 0.46),
    mix(hex, 255, 0.3),
    mix(hex, 255, 0.14),
    hex,
    mix(hex, 0, 0.14),
    mix(hex, 0, 0.28),
    mix(hex, 0, 0.42),
  ];
}

export function themeOf(branding: Branding) {
  return createTheme({
    primaryColor: 'brand',
    // Shade 7 on light backgrounds keeps text and filled buttons above WCAG AA contrast.
    primaryShade: { light: 7, dark: 5 },
    colors: { brand: shadesOf(branding.primaryColor) },
    defaultRadius: 'sm',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    components: {
      // Mantine's close button of a notification has no name of its own.
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } }),
    },
  });
}

/**
 * Mantine's "dimmed" text (descriptions, hints, empty states) is gray 6 on white, 3.3:1: below WCAG
 * AA's 4.5:1 for body text. Gray 7 reads as secondary and passes (about 8:1).
 */
export const accessibleCssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
