{#- A model of this project named as one of the package's, built when the var
    shadow_package_model is true: dbt 1.11 resolves a package's one-argument ref() in the
    root project first, so the package's models must still read their own (they name their
    package: ref('activity_tracking', ...)). dbt generates the data tests of a package's
    model with a one-argument ref(), so with this model on, those of the package's
    stg_lms__learners read it: tests_py/test_package.py builds it with `dbt run` only. (No
    YAML: dbt 1.11 takes a properties entry of this name, with this model disabled, for a
    second entry of the package's model.) -#}
{{ config(enabled=var('shadow_package_model', false)) }}

select 'not the package''s learners' as shadow
