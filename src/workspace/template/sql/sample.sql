-- A sample database written the way Supabase users write row-level security: auth.uid() and
-- auth.jwt() read the claims Behalf sets for the person who asked. Runs once, on an embedded
-- database only; point the source's url at your own database instead.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(coalesce(current_setting('request.jwt.claim.sub', true), auth.jwt() ->> 'sub'), '')::uuid
$$;
GRANT USAGE ON SCHEMA auth TO authenticated;

CREATE TABLE public.projects (
  id int PRIMARY KEY,
  name text NOT NULL,
  owner uuid NOT NULL,
  status text NOT NULL
);
CREATE TABLE public.project_members (project_id int REFERENCES public.projects, member uuid NOT NULL);
CREATE TABLE public.project_notes (
  id int PRIMARY KEY,
  project_id int REFERENCES public.projects,
  body text NOT NULL
);
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.projects FORCE ROW LEVEL SECURITY;
ALTER TABLE public.project_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.project_notes FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.projects, public.project_notes TO authenticated;

-- Membership is read through a SECURITY DEFINER helper (the Supabase pattern): the agent's role
-- cannot read project_members itself.
CREATE FUNCTION public.is_project_member(project int) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.projects p WHERE p.id = project AND p.owner = auth.uid()
  ) OR EXISTS (
    SELECT 1 FROM public.project_members m WHERE m.project_id = project AND m.member = auth.uid()
  )
$$;
REVOKE ALL ON FUNCTION public.is_project_member(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.is_project_member(int) TO authenticated;

CREATE POLICY projects_members ON public.projects FOR SELECT TO authenticated
  USING (public.is_project_member(id));
CREATE POLICY notes_members ON public.project_notes FOR SELECT TO authenticated
  USING (public.is_project_member(project_id));

INSERT INTO public.projects VALUES
  (1, 'Analytical engine', '7d1e6f0a-0000-4000-8000-000000000001', 'active'),
  (2, 'Compiler', '7d1e6f0a-0000-4000-8000-000000000002', 'active'),
  (3, 'Vitamin C', '7d1e6f0a-0000-4000-8000-000000000003', 'paused');
INSERT INTO public.project_members VALUES (1, '7d1e6f0a-0000-4000-8000-000000000002'), (2, '7d1e6f0a-0000-4000-8000-000000000001');
INSERT INTO public.project_notes VALUES
  (1, 1, 'Bernoulli numbers program drafted.'),
  (2, 2, 'First bug found: a moth in relay 70.'),
  (3, 3, 'Trial design pending review.');
