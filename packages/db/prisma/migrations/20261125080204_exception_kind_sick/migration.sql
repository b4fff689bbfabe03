-- AlterEnum (a sick day removes working time like time off; kept apart so the desk sees why)
ALTER TYPE "exception_kind" ADD VALUE 'sick' AFTER 'time_off';
