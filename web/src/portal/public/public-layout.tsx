import { Anchor, Box, Container, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Outlet, createRoute } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useBranding } from '../../shared/boot.tsx';
import { portalRootRoute } from '../root-route.tsx';

/**
 * The pages a visitor without a login reaches from Keycloak's login page ("Request access",
 * "Register with an invoice"). No session gate: nothing here calls a signed-in API.
 */
export const publicRoute = createRoute({
  getParentRoute: () => portalRootRoute,
  id: 'public',
  component: PublicLayout,
});

function PublicLayout() {
  const branding = useBranding();
  return (
    <Box bg="gray.1" mih="100vh" py={{ base: 'md', sm: 48 }}>
      <Container size={560} px={{ base: 'sm', sm: 'md' }}>
        <Paper
          withBorder
          shadow="sm"
          radius="md"
          p={{ base: 'md', sm: 'xl' }}
          style={{ borderTop: '4px solid var(--mantine-color-brand-6)' }}
        >
          <header>
            <Group gap="sm" wrap="nowrap" mb="xs">
              {branding.logoUrl && <Image src={branding.logoUrl} alt="" h={28} w="auto" />}
              <Text fw={600} c="brand.8">
                {branding.productName}
              </Text>
            </Group>
          </header>
          <main>
            <Outlet />
          </main>
        </Paper>
        <Text size="sm" ta="center" mt="md">
          Already have a login?{' '}
          <Anchor href="/portal/" fw={600}>
            Sign in
          </Anchor>
        </Text>
      </Container>
    </Box>
  );
}

/** A public page's heading and introduction; the heading also names the browser tab. */
export function PublicPage({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  const { productName } = useBranding();
  useDocumentTitle(`${title} · ${productName}`);
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={1} size="h2">
          {title}
        </Title>
        <Text size="sm">{intro}</Text>
      </Stack>
      {children}
    </Stack>
  );
}
