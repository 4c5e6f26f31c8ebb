-- A clinic database written the way Supabase users write it: the `auth` schema with auth.uid(),
-- auth.jwt(), auth.role() and auth.email() defined as Supabase defines them (reading
-- request.jwt.claims and the legacy request.jwt.claim.<name>), the anon and authenticated roles,
-- policies on auth.uid() and auth.jwt() ->> 'role', and a SECURITY DEFINER helper over a
-- membership table that the agent's role cannot read itself. Nothing here knows about Behalf.

-- Roles are cluster-wide: tolerate a twin created by another database (or test run) on the server.
DO $$
DECLARE
  wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY['anon', 'authenticated'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', wanted);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END LOOP;
END $$;

CREATE SCHEMA IF NOT EXISTS auth;

CREATE TABLE auth.users (
  id uuid PRIMARY KEY,
  email text
);

CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.sub', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.role', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;

CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.email', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
    )::text
$$;

CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

GRANT USAGE ON SCHEMA auth TO anon, authenticated;
GRANT USAGE ON SCHEMA public TO anon, authenticated;

CREATE TABLE public.wards (
  id text PRIMARY KEY,
  name text NOT NULL,
  floor integer NOT NULL
);

-- Who works on which ward: read only through is_ward_member().
CREATE TABLE public.ward_members (
  ward text NOT NULL REFERENCES public.wards (id),
  user_id uuid NOT NULL,
  PRIMARY KEY (ward, user_id)
);

CREATE TABLE public.patients (
  id integer PRIMARY KEY,
  name text NOT NULL,
  ward text NOT NULL REFERENCES public.wards (id),
  ssn text NOT NULL,
  diagnosis text NOT NULL,
  admitted date NOT NULL
);

CREATE TABLE public.notes (
  id integer PRIMARY KEY,
  patient_id integer NOT NULL REFERENCES public.patients (id),
  author uuid NOT NULL,
  body text NOT NULL
);

CREATE TABLE public.rosters (
  ward text NOT NULL REFERENCES public.wards (id),
  shift date NOT NULL,
  staff text NOT NULL
);

ALTER TABLE public.wards ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.wards FORCE ROW LEVEL SECURITY;
ALTER TABLE public.ward_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ward_members FORCE ROW LEVEL SECURITY;
ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.patients FORCE ROW LEVEL SECURITY;
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;
ALTER TABLE public.rosters ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.rosters FORCE ROW LEVEL SECURITY;

-- The Supabase pattern: a SECURITY DEFINER helper with an empty search_path reads the membership
-- table on the caller's behalf.
CREATE FUNCTION public.is_ward_member(target_ward text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.ward_members m WHERE m.ward = target_ward AND m.user_id = auth.uid()
  )
$$;
REVOKE ALL ON FUNCTION public.is_ward_member(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.is_ward_member(text) TO authenticated;

CREATE POLICY "Enable read access for authenticated users" ON public.wards
  FOR SELECT TO authenticated USING (auth.jwt() ->> 'role' = 'authenticated');

CREATE POLICY "Ward staff and chiefs read patients" ON public.patients
  FOR SELECT TO authenticated
  USING (public.is_ward_member(ward) OR (auth.jwt() -> 'groups') @> '["chiefs"]'::jsonb);

CREATE POLICY "Authors read their own notes" ON public.notes
  FOR SELECT TO authenticated USING ((SELECT auth.uid()) = author);

CREATE POLICY "Ward staff read their rosters" ON public.rosters
  FOR SELECT TO authenticated USING (public.is_ward_member(ward));

CREATE POLICY "Members read their own memberships" ON public.ward_members
  FOR SELECT TO authenticated USING (user_id = auth.uid());

GRANT SELECT ON public.wards, public.patients, public.notes, public.rosters TO authenticated;

INSERT INTO public.wards (id, name, floor) VALUES
  ('w3', 'Ward 3 (cardiology)', 3),
  ('w4', 'Ward 4 (oncology)', 4),
  ('w5', 'Ward 5 (closed)', 5);

-- ana: ward 3; ben: ward 4; cleo (chief): no ward; eve: wards 3 and 4.
INSERT INTO public.ward_members (ward, user_id) VALUES
  ('w3', '11111111-1111-4111-8111-111111111111'),
  ('w4', '22222222-2222-4222-8222-222222222222'),
  ('w3', '55555555-5555-4555-8555-555555555555'),
  ('w4', '55555555-5555-4555-8555-555555555555');

INSERT INTO auth.users (id, email) VALUES
  ('11111111-1111-4111-8111-111111111111', 'ana@clinic.example'),
  ('22222222-2222-4222-8222-222222222222', 'ben@clinic.example'),
  ('33333333-3333-4333-8333-333333333333', 'cleo@clinic.example'),
  ('55555555-5555-4555-8555-555555555555', 'eve@clinic.example');

INSERT INTO public.patients (id, name, ward, ssn, diagnosis, admitted) VALUES
  (1, 'Pat Quinn', 'w3', '111-22-3333', 'arrhythmia', '2026-09-01'),
  (2, 'Lee Moreau', 'w3', '222-33-4444', 'angina', '2026-09-03'),
  (3, 'Sam Ortiz', 'w4', '333-44-5555', 'lymphoma', '2026-09-05'),
  (4, 'Kim Varga', 'w4', '444-55-6666', 'melanoma', '2026-09-08'),
  (5, 'Ola Berg', 'w4', '555-66-7777', 'leukaemia', '2026-09-09');

INSERT INTO public.notes (id, patient_id, author, body) VALUES
  (1, 1, '11111111-1111-4111-8111-111111111111', 'Started beta blockers.'),
  (2, 2, '11111111-1111-4111-8111-111111111111', 'Stress test booked.'),
  (3, 3, '22222222-2222-4222-8222-222222222222', 'Second cycle of chemotherapy.'),
  (4, 4, '55555555-5555-4555-8555-555555555555', 'Biopsy results pending.');

INSERT INTO public.rosters (ward, shift, staff) VALUES
  ('w3', '2026-10-01', 'ana'),
  ('w3', '2026-10-02', 'eve'),
  ('w4', '2026-10-01', 'ben'),
  ('w4', '2026-10-02', 'eve');

ANALYZE public.wards, public.ward_members, public.patients, public.notes, public.rosters;
