-- Linden Grove School's database, written the way Supabase users write it: the `auth` schema
-- (auth.uid(), auth.jwt(), auth.role(), auth.email() read request.jwt.claims, as Supabase defines
-- them; created only where the database lacks them), the anon and authenticated roles, policies
-- on auth.uid() and auth.jwt() ->> 'role', and SECURITY DEFINER helpers in a `private` schema
-- over membership tables the query role cannot read. Nothing here knows about Behalf.

-- Roles are cluster-wide: tolerate twins made by another database on the same server.
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

CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY,
  email text
);

-- Supabase's own definitions; a Supabase database already has them and keeps its own.
DO $$
BEGIN
  IF to_regprocedure('auth.uid()') IS NULL THEN
    EXECUTE $fn$
      CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $body$
        select
          coalesce(
            nullif(current_setting('request.jwt.claim.sub', true), ''),
            (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
          )::uuid
      $body$
    $fn$;
  END IF;
  IF to_regprocedure('auth.role()') IS NULL THEN
    EXECUTE $fn$
      CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $body$
        select
          coalesce(
            nullif(current_setting('request.jwt.claim.role', true), ''),
            (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
          )::text
      $body$
    $fn$;
  END IF;
  IF to_regprocedure('auth.email()') IS NULL THEN
    EXECUTE $fn$
      CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $body$
        select
          coalesce(
            nullif(current_setting('request.jwt.claim.email', true), ''),
            (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
          )::text
      $body$
    $fn$;
  END IF;
  IF to_regprocedure('auth.jwt()') IS NULL THEN
    EXECUTE $fn$
      CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $body$
        select
          coalesce(
            nullif(current_setting('request.jwt.claim', true), ''),
            nullif(current_setting('request.jwt.claims', true), '')
          )::jsonb
      $body$
    $fn$;
  END IF;
END $$;

GRANT USAGE ON SCHEMA auth TO anon, authenticated;
GRANT USAGE ON SCHEMA public TO anon, authenticated;

-- Membership tables: who is on the staff (and as what), who teaches which class. RLS on, no
-- grant to the query role: only the SECURITY DEFINER helpers below read them.
CREATE TABLE public.staff (
  user_id uuid PRIMARY KEY,
  staff_role text NOT NULL CHECK (staff_role IN ('head', 'teacher', 'counsellor', 'office'))
);

CREATE TABLE public.classes (
  id text PRIMARY KEY,
  subject text NOT NULL,
  year_group integer NOT NULL,
  room text NOT NULL
);

CREATE TABLE public.class_teachers (
  class_id text NOT NULL REFERENCES public.classes (id),
  user_id uuid NOT NULL REFERENCES public.staff (user_id),
  PRIMARY KEY (class_id, user_id)
);

CREATE TABLE public.students (
  id integer PRIMARY KEY,
  name text NOT NULL,
  year_group integer NOT NULL,
  tutor_group text NOT NULL,
  sen_support text NOT NULL
);

CREATE TABLE public.grades (
  id integer PRIMARY KEY,
  student_id integer NOT NULL REFERENCES public.students (id),
  class_id text NOT NULL REFERENCES public.classes (id),
  term text NOT NULL,
  grade text NOT NULL
);

CREATE TABLE public.pastoral_concerns (
  id integer PRIMARY KEY,
  student_id integer NOT NULL REFERENCES public.students (id),
  author uuid NOT NULL,
  concern text NOT NULL
);

CREATE TABLE public.guardian_contacts (
  student_id integer PRIMARY KEY REFERENCES public.students (id),
  guardian_name text NOT NULL,
  phone text NOT NULL
);

-- The Supabase advice: helpers in a schema the API does not expose, SECURITY DEFINER with an
-- empty search_path, so policies can consult membership tables the caller cannot read.
CREATE SCHEMA private;

CREATE FUNCTION private.staff_role() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT s.staff_role FROM public.staff s WHERE s.user_id = auth.uid()
$$;

CREATE FUNCTION private.is_class_teacher(target_class text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.class_teachers t WHERE t.class_id = target_class AND t.user_id = auth.uid()
  )
$$;

REVOKE ALL ON SCHEMA private FROM PUBLIC;
GRANT USAGE ON SCHEMA private TO authenticated;
REVOKE ALL ON FUNCTION private.staff_role() FROM PUBLIC;
REVOKE ALL ON FUNCTION private.is_class_teacher(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION private.staff_role() TO authenticated;
GRANT EXECUTE ON FUNCTION private.is_class_teacher(text) TO authenticated;

ALTER TABLE public.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.staff FORCE ROW LEVEL SECURITY;
ALTER TABLE public.classes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.classes FORCE ROW LEVEL SECURITY;
ALTER TABLE public.class_teachers ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.class_teachers FORCE ROW LEVEL SECURITY;
ALTER TABLE public.students ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.students FORCE ROW LEVEL SECURITY;
ALTER TABLE public.grades ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.grades FORCE ROW LEVEL SECURITY;
ALTER TABLE public.pastoral_concerns ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.pastoral_concerns FORCE ROW LEVEL SECURITY;
ALTER TABLE public.guardian_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.guardian_contacts FORCE ROW LEVEL SECURITY;

CREATE POLICY "Staff read their own membership" ON public.staff
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

CREATE POLICY "Teachers read their own classes" ON public.class_teachers
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

CREATE POLICY "Signed-in users read the timetable" ON public.classes
  FOR SELECT TO authenticated USING ((auth.jwt() ->> 'role') = 'authenticated');

CREATE POLICY "Staff read the pupil directory" ON public.students
  FOR SELECT TO authenticated USING ((SELECT private.staff_role()) IS NOT NULL);

CREATE POLICY "Teachers read their classes' grades; the head reads all" ON public.grades
  FOR SELECT TO authenticated
  USING (private.is_class_teacher(class_id) OR (SELECT private.staff_role()) = 'head');

CREATE POLICY "Counsellors and the head read concerns; authors read their own" ON public.pastoral_concerns
  FOR SELECT TO authenticated
  USING ((SELECT private.staff_role()) IN ('counsellor', 'head') OR author = (SELECT auth.uid()));

CREATE POLICY "The office and the head read guardian contacts" ON public.guardian_contacts
  FOR SELECT TO authenticated USING ((SELECT private.staff_role()) IN ('office', 'head'));

GRANT SELECT ON public.classes, public.students, public.grades, public.pastoral_concerns, public.guardian_contacts
  TO authenticated;
