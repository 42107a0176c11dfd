import { Modal, Notification, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
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
      // Mantine's close buttons are an icon alone: without a label screen readers announce "button".
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } }),
    },
  });
}

/**
 * Text in a colour (light and subtle buttons, light badges and alerts, outlines, red errors) is
 * shade 6 in Mantine, about 3.3:1 on white: below WCAG AA's 4.5:1. These darker tones pass on
 * white and on the colour's own 10% tint; filled red buttons get shade 9 under white text.
 */
const readableText: Record<string, string> = {
  red: 'var(--mantine-color-red-9)',
  orange: '#a63c06',
  yellow: '#7c5a00',
  green: '#1b6e2e',
  blue: 'var(--mantine-color-blue-9)',
  gray: 'var(--mantine-color-gray-7)',
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-red-filled': 'var(--mantine-color-red-9)',
    '--mantine-color-red-filled-hover': 'var(--mantine-color-red-8)',
    ...Object.fromEntries(
      Object.entries(readableText).flatMap(([colour, value]) => [
        [`--mantine-color-${colour}-text`, value],
        [`--mantine-color-${colour}-light-color`, value],
        [`--mantine-color-${colour}-outline`, value],
      ]),
    ),
  },
  dark: {},
});
