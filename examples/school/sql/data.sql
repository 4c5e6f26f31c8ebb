-- Linden Grove School's sample data. Staff uids match `attributes.uid` in behalf.yaml, which
-- Behalf puts in the `sub` claim, so auth.uid() names the person who asked.

INSERT INTO auth.users (id, email) VALUES
  ('4c1d0000-0000-4000-8000-000000000001', 'hana@lindengrove.example'),
  ('4c1d0000-0000-4000-8000-000000000002', 'omar@lindengrove.example'),
  ('4c1d0000-0000-4000-8000-000000000003', 'lucia@lindengrove.example'),
  ('4c1d0000-0000-4000-8000-000000000004', 'tomas@lindengrove.example'),
  ('4c1d0000-0000-4000-8000-000000000005', 'ruth@lindengrove.example'),
  ('4c1d0000-0000-4000-8000-000000000006', 'pia@lindengrove.example'),
  ('4c1d0000-0000-4000-8000-000000000007', 'wes@lindengrove.example');

-- pia is a governor: signed in, not on the staff. wes teaches history and does not use Behalf.
INSERT INTO public.staff (user_id, staff_role) VALUES
  ('4c1d0000-0000-4000-8000-000000000001', 'head'),
  ('4c1d0000-0000-4000-8000-000000000002', 'teacher'),
  ('4c1d0000-0000-4000-8000-000000000003', 'teacher'),
  ('4c1d0000-0000-4000-8000-000000000004', 'counsellor'),
  ('4c1d0000-0000-4000-8000-000000000005', 'office'),
  ('4c1d0000-0000-4000-8000-000000000007', 'teacher');

INSERT INTO public.classes (id, subject, year_group, room) VALUES
  ('7m', 'Maths', 7, 'M1'),
  ('8m', 'Maths', 8, 'M2'),
  ('8s', 'Science', 8, 'Lab 2'),
  ('9h', 'History', 9, 'H1');

-- omar teaches 7m and 8m, lucia 8s, wes 9h.
INSERT INTO public.class_teachers (class_id, user_id) VALUES
  ('7m', '4c1d0000-0000-4000-8000-000000000002'),
  ('8m', '4c1d0000-0000-4000-8000-000000000002'),
  ('8s', '4c1d0000-0000-4000-8000-000000000003'),
  ('9h', '4c1d0000-0000-4000-8000-000000000007');

INSERT INTO public.students (id, name, year_group, tutor_group, sen_support) VALUES
  (1, 'Amira Khan', 7, '7T', 'none'),
  (2, 'Ben Lowe', 7, '7T', 'dyslexia: extra time'),
  (3, 'Chloe Park', 7, '7R', 'none'),
  (4, 'Dev Patel', 8, '8T', 'none'),
  (5, 'Ella Moss', 8, '8T', 'ADHD: movement breaks'),
  (6, 'Finn Reid', 8, '8R', 'none'),
  (7, 'Gia Russo', 8, '8R', 'hearing: front seat'),
  (8, 'Hugo Lind', 9, '9T', 'none'),
  (9, 'Isla Ward', 9, '9T', 'none'),
  (10, 'Jon Erikson', 9, '9R', 'EAL support');

INSERT INTO public.grades (id, student_id, class_id, term, grade) VALUES
  (1, 1, '7m', 'autumn', 'A'),
  (2, 2, '7m', 'autumn', 'B'),
  (3, 3, '7m', 'autumn', 'C'),
  (4, 4, '8m', 'autumn', 'B'),
  (5, 5, '8m', 'autumn', 'C'),
  (6, 6, '8m', 'autumn', 'A'),
  (7, 7, '8m', 'autumn', 'B'),
  (8, 4, '8s', 'autumn', 'A'),
  (9, 5, '8s', 'autumn', 'B'),
  (10, 6, '8s', 'autumn', 'B'),
  (11, 7, '8s', 'autumn', 'C'),
  (12, 8, '9h', 'autumn', 'B'),
  (13, 9, '9h', 'autumn', 'A'),
  (14, 10, '9h', 'autumn', 'C');

INSERT INTO public.pastoral_concerns (id, student_id, author, concern) VALUES
  (1, 5, '4c1d0000-0000-4000-8000-000000000004', 'Anxious before exams; weekly check-in agreed.'),
  (2, 2, '4c1d0000-0000-4000-8000-000000000002', 'Seemed withdrawn in maths this week.'),
  (3, 7, '4c1d0000-0000-4000-8000-000000000003', 'Asked to move seats away from another pupil.'),
  (4, 10, '4c1d0000-0000-4000-8000-000000000004', 'Family moving house; attendance dipping.');

INSERT INTO public.guardian_contacts (student_id, guardian_name, phone) VALUES
  (1, 'Sana Khan', '07700 900101'),
  (2, 'Mark Lowe', '07700 900102'),
  (3, 'June Park', '07700 900103'),
  (4, 'Raj Patel', '07700 900104'),
  (5, 'Tess Moss', '07700 900105'),
  (6, 'Ian Reid', '07700 900106'),
  (7, 'Marco Russo', '07700 900107'),
  (8, 'Eva Lind', '07700 900108'),
  (9, 'Paul Ward', '07700 900109'),
  (10, 'Ingrid Erikson', '07700 900110');

ANALYZE public.staff, public.classes, public.class_teachers, public.students, public.grades,
  public.pastoral_concerns, public.guardian_contacts;
